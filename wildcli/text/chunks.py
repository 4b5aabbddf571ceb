"""The distinct whitespace-separated chunks of a long text, found in Arrow.

`set(text.split())` makes a Python string of every chunk, repeats and all, before the set keeps
one of each; on a batch of a million characters that is most of the cost of looking for
near-misses. Arrow splits and deduplicates in C++, and only the distinct chunks become Python
strings: about a third of the time.

A long text is cut at spaces, line ends, tabs and the ASCII information separators (which join
the texts of a batch), not at rarer whitespace (U+3000, a no-break space...), which then stays
inside a chunk. Callers look for runs of letters inside chunks, which no whitespace character
joins: they find the same runs either way.
"""

from __future__ import annotations

from wildcli.text.codepoints import MIN_CHARS

_CUT = ("\n", "\r", "\t", "\x1c", "\x1d", "\x1e", "\x1f")


def distinct_chunks(text: str) -> set[str]:
    """The chunks of `text` between whitespace, each once (see above for a long text)."""
    if len(text) < MIN_CHARS:
        return set(text.split())
    import pyarrow as pa
    import pyarrow.compute as pc

    for cut in _CUT:
        if cut in text:
            text = text.replace(cut, " ")
    try:
        whole = pa.array([text], pa.string())
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold
        return set(text.split())
    return set(pc.unique(pc.list_flatten(pc.split_pattern(whole, " "))).to_pylist())
