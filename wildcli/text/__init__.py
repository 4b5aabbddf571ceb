"""Text before matching: the normalisation views, scripts, look-alike letters, disguise triggers,
hashtags and words. Knows nothing of lexicons or matching."""
