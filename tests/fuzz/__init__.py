"""Property-based fuzzing of the readers, normaliser, matcher and lexicon loader (hypothesis)."""
