"""How well the lexicon judges: labelled evaluation and the benign-corpus gate."""
