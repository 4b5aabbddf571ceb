"""`hashed`: HMAC-SHA256 of each term's match key, for sharing restricted terms (formats.md §3.5).

A keyed hash, not plain SHA-256: short words are trivially brute-forced from a dictionary, so
only partners holding the key can test a string against the list. This format carries
`restricted` terms; it never contains a term's text.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from wildcli.errors import UsageError
from wildcli.exporters.base import ExportContext, Exporter, ExportItem, Rendering, lines_text
from wildcli.lexicon.actions import Action
from wildcli.text.normalize import normalize_key

HEADER = (
    "# wildcli hashed blocklist v2: HMAC-SHA256 over the UTF-8 of wildcli.text.normalize.normalize_key(term)",
    "# normalize_key: NFKC, case folded, invisible format characters and variation selectors removed",
    "# columns: hmac_sha256_hex<TAB>concept<TAB>action (block, warn, monitor; allow: an exception)",
    "# apply: hash each run of whole words of the text (any substring in Han, kana, Hangul, Thai);",
    "# a block, warn or monitor hit is cancelled by an allow hit of the same concept that covers it",
)


LONGEST = "# longest term: "
"""Header line giving the longest term in characters: how long a run of a text to hash."""


def longest_term(text: str) -> int:
    """The longest term a hashed export holds, from its header (0 when it has none)."""
    for line in text.splitlines():
        if line.startswith(LONGEST):
            return int(line.removeprefix(LONGEST).split()[0])
    return 0


def key_id(key: bytes) -> str:
    """A short public fingerprint so partners can tell which key a file was made with."""
    return hashlib.sha256(b"wildcli-key-id\0" + key).hexdigest()[:16]


def digest(key: bytes, text: str) -> str:
    return hmac.new(key, normalize_key(text).encode("utf-8"), hashlib.sha256).hexdigest()


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    key = ctx.options.hmac_key
    if not key:
        raise UsageError("the hashed format needs an HMAC key (--key-file or WILDCLI_HMAC_KEY)")
    rows: dict[tuple[str, str], Action] = {}

    def add(text: str, concept: str, action: Action) -> None:
        row = (digest(key, text), concept)
        # Case and width variants share a key; the list keeps the most severe of them.
        if row not in rows or action.rank > rows[row].rank:
            rows[row] = action

    longest = 0
    for item in items:
        add(item.text, item.concept, item.action)
        longest = max(longest, len(normalize_key(item.text)))
        for phrase in item.allow:
            add(phrase, item.concept, Action.ALLOW)
    header = [*HEADER, f"# key id: {key_id(key)}", f"{LONGEST}{longest} characters"]
    if ctx.lexicon_version:
        header.append(f"# lexicon version: {ctx.lexicon_version}")
    body = (f"{h}\t{c}\t{a.value}" for (h, c), a in sorted(rows.items()))
    return Rendering((lines_text((*header, *body)),))


EXPORTER = Exporter(
    summary="HMAC-SHA256 of normalised terms, restricted ones too: vetted partners",
    suffix=".tsv",
    render_fn=render,
    line_items=True,
    carries_restricted=True,
    comment_prefix="# ",
    per_action=False,
    allow_list=True,
)
