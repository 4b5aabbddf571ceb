"""Layout rules: sorted terms, the canonical format `wildcli fmt` writes, and the schema comment line."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from wildcli.errors import LexiconError, Location
from wildcli.lexicon.canonical import SCHEMA_LINE, format_text, schema_line
from wildcli.lexicon.rules.base import Problem, ProblemSeverity, Rule
from wildcli.lexicon.rules.context import LexiconFile, LintContext
from wildcli.lexicon.scalars import sort_key


def _first_unsorted(f: LexiconFile) -> int | None:
    keys = [(i, sort_key(e)) for i, e in enumerate(f.entries()) if sort_key(e)[0] == 0]
    return next((i for (_, a), (i, b) in itertools.pairwise(keys) if b < a), None)


class Unsorted(Rule):
    rule_id = "WL008"
    description = "the terms of a file are not sorted by their casefolded text"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.focused_files():
            if f.doc and (i := _first_unsorted(f)) is not None:
                yield self.problem(f.doc.location(("terms", i, "term")), (
                    f"{f.entries()[i]['term']!r} is out of order: terms are sorted by their casefolded "
                    f"text (run `wildcli fmt {f.display}`)"))


def _body(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[1:] if SCHEMA_LINE.match(lines[0]) else lines


class NotCanonical(Rule):
    rule_id = "WL009"
    description = "the file differs from its canonical layout (what `wildcli fmt` writes)"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.focused_files():
            if f.text is None or f.doc is None or _first_unsorted(f) is not None:
                continue  # unreadable files are WL001; unsorted ones WL008; a bad schema line is WL010
            try:
                want, have = _body(format_text(f.text, f.path, f.display, f.doc)), _body(f.text)
            except LexiconError:
                continue
            if have != want:
                pairs = enumerate(zip(have, want, strict=False))
                line = next((i for i, (a, b) in pairs if a != b), len(have))
                line += len(f.text.split("\n")) - len(have) + 1  # 1-based, after the schema line if any
                yield self.problem(Location(f.display, line),
                                   f"not in canonical format (run `wildcli fmt {f.display}`)")


class SchemaComment(Rule):
    rule_id = "WL010"
    description = "the first line is not the yaml-language-server comment naming the file's schema"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.focused_files():
            first = (f.text or "").split("\n")[0]
            if f.text is not None and schema_line(f.path, first) != first:
                yield self.problem(Location(f.display, 1), "the first line must be `# yaml-language-server: "
                                   f"$schema=<path>/{'concept' if f.lang is None else 'terms'}.schema.json` "
                                   f"(run `wildcli fmt {f.display}`)")
