"""Matching a text against a lexicon: the keys, the batch test (prefilter), the views, the
acceptance rules both share, the Matcher, its Findings and its compiled cache."""
