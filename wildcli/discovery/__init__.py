"""Finding what the lexicon lacks: term suggestions from dumps, near-miss spellings, proposals,
and the variants (plurals, disguises) a term expands into."""
