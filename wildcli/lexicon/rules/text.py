"""Text hygiene rules: hidden or bidi control characters, and terms that would match almost anything."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from wildcli.errors import Location
from wildcli.lexicon.model import Kind
from wildcli.lexicon.rules.base import Problem, Rule
from wildcli.lexicon.rules.context import LexiconFile, LintContext
from wildcli.lexicon.scalars import hidden_characters, may_hide
from wildcli.lexicon.yamlfile import Path_, YamlDocument
from wildcli.match.languages import primary, view_for
from wildcli.text.normalize import normalize_key
from wildcli.text.scripts import needs_boundary_before

# Function words found in almost every listing: a term equal to one of them is a mistake.
STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "a an and are as at be by for from has have i in is it its of on or that the this to was we with "
          "you",
    "es": "a al con de del el en es la las lo los mas no o para pero por que se si su un una y",
    "fr": "à au aux avec ce ces dans de des du elle en est et il je la le les mais ne on ou par pas pour "
          "que qui se son sur un une",
    "de": "als am an auf aus bei das dem den der des die ein eine er es für ich im in ist mit nicht oder "
          "sie und von zu",
    "pt": "a ao as com da das de do dos e é em na nas no nos o os ou para por que se um uma",
    "it": "a al che con da del della di e è gli i il in la le lo ma nel non per se si su un una",
    "id": "ada adalah akan dan dari di dengan ini itu ke pada saya tidak untuk yang",
    "vi": "bị các cho có của đã để không là mà một này những rất thì trong và với được",
}.items()}


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from _strings(key, path)
        yield from _strings(value, (*path, key))


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


class HiddenCharacters(Rule):
    rule_id = "WL011"
    description = "an invisible or bidi control character outside terms of kind obfuscation"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.focused_files():
            if f.doc is None or f.text is None or not may_hide(f.text):
                continue
            allowed = self._obfuscation_term_lines(f, f.doc)
            reported: set[int] = set()
            for path, text in _strings(f.doc.data, ()):
                where = f.doc.location(path)
                hidden = self._hidden(text, where.line in allowed)
                if hidden is not None and where.line not in reported:
                    reported.add(where.line or 0)  # once per line: the raw-text pass below skips it too
                    yield self.problem(where, f"{_describe(text[hidden])} at offset {hidden}: "
                                              "allowed only in terms of kind obfuscation")
            for n, line in enumerate(f.text.split("\n"), 1):
                hidden = self._hidden(line, n in allowed)
                if hidden is not None and n not in reported:
                    yield self.problem(Location(f.display, n), f"{_describe(line[hidden])} "
                                       f"at column {hidden + 1} (a comment or key hides it)")

    @staticmethod
    def _hidden(text: str, obfuscation_term: bool) -> int | None:
        """Offset of the first forbidden hidden character. The term and examples of an obfuscation
        entry may hold invisible characters (that is how sellers write it), never bidi controls, which
        would make the file itself display something other than what it holds."""
        for offset in hidden_characters(text):
            if not obfuscation_term or ord(text[offset]) in _BIDI:
                return offset
        return None

    @staticmethod
    def _obfuscation_term_lines(f: LexiconFile, doc: YamlDocument) -> set[int]:
        """Lines of the term and of the examples of obfuscation entries: they show the disguise."""
        lines = set()
        for i, e in enumerate(f.entries()):
            if not isinstance(e, dict) or e.get("kind") != Kind.OBFUSCATION.value:
                continue
            lines.add(doc.line_of(("terms", i, "term")) or 0)
            for key in ("examples", "counter_examples"):
                values = e.get(key)
                for j in range(len(values) if isinstance(values, list) else 0):
                    lines.add(doc.line_of(("terms", i, key, j)) or 0)
        return lines


_BIDI = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})


class BadTerm(Rule):
    rule_id = "WL012"
    description = "a term that matches everything: empty once normalised, one letter, a stop word"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.focused_terms():
            view = view_for(term.lang)
            key = normalize_key(term.term, view).strip()
            stop = {normalize_key(w, view) for w in STOP_WORDS.get(primary(term.lang), ())}
            letter = len(key) == 1 and needs_boundary_before(key)
            why = ("is empty once invisible characters are removed" if not key
                   else "is a single letter of a spaced script" if letter
                   else f"is a common {term.lang} word" if key in stop else None)
            if why:
                yield self.problem(ctx.term_location(term, "term"), f"{term.term!r} {why} and would match "
                                   "far too much")
