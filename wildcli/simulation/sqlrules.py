"""The `sql` export read back for `wildcli simulate`.

A DuckDB script runs in an in-memory DuckDB, which is asked which rules fire on each text.
DuckDB compiles every pattern again in each query (a second or more per query for the bundled
lexicon), so a text is sent only when it passes the script's own first test, its prefilter,
applied here with RE2 as DuckDB applies it. A PostgreSQL script needs a server, which is not
at hand: its rules are read from the INSERT statements, their word-boundary and space
classes put back into RE2 syntax, and applied with RE2 to the NFKC text, as wildcli_match
normalises it. PostgreSQL's own regex engine can still differ on rare characters (see
docs/exports.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import re2

from wildcli.errors import UsageError
from wildcli.exporters.regexrules import FLAGS, POSTGRES, RE2, literal
from wildcli.exporters.selection import ExportResult
from wildcli.lexicon.actions import Action
from wildcli.simulation.appliers import Applier, Fired, Verdict, verdict
from wildcli.simulation.appliers import _options as re2_options

_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(\d+)|([A-Za-z_]+)|(\|\||[(),\[\];]))")


class _Values:
    """The values of one INSERT statement as the sql exporter writes them: string literals,
    chr(n), ||, NULL, integers, ARRAY[...] or [...], lower(...)."""

    def __init__(self, text: str) -> None:
        self.tokens = list(self._scan(text))
        self.at = 0

    @staticmethod
    def _scan(text: str) -> Iterator[tuple[str, str]]:
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                if text[pos:].strip():
                    raise UsageError(f"the sql export holds an unreadable value near {text[pos:pos + 20]!r}")
                return
            group = m.lastindex or 0
            yield ("", "str", "int", "word", "sym")[group], m.group(group)
            pos = m.end()

    def _next(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def _expect(self, symbol: str) -> None:
        if self._next()[1] != symbol:
            raise UsageError(f"the sql export holds an unreadable value: expected {symbol!r}")

    def row(self) -> list[Any]:
        self._expect("(")
        values = [self.value()]
        while self._next()[1] == ",":
            values.append(self.value())
        return values

    def value(self) -> Any:
        first = self._term()
        while self.at < len(self.tokens) and self.tokens[self.at][1] == "||":
            self.at += 1
            first = str(first) + str(self._term())
        return first

    def _term(self) -> Any:
        kind, text = self._next()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "int":
            return int(text)
        if text == "(":
            inner = self.value()
            self._expect(")")
            return inner
        word = text.upper()
        if word == "NULL":
            return None
        if word == "ARRAY" or text == "[":
            if word == "ARRAY":
                self._expect("[")
            items = []
            while self.tokens[self.at][1] != "]":
                items.append(self.value())
                if self.tokens[self.at][1] == ",":
                    self.at += 1
            self.at += 1
            return items
        if word in ("CHR", "LOWER"):
            self._expect("(")
            arg = self.value()
            self._expect(")")
            return chr(int(arg)) if word == "CHR" else str(arg).lower()
        raise UsageError(f"the sql export holds an unreadable value {text!r}")


_INSERT = re.compile(r"^INSERT INTO wildcli_rules \(([^)]*)\) VALUES (.*);$", re.M)
_META = re.compile(r"^\s*\('dialect', '(\w+)'\)", re.M)
_GATE = re.compile(r"^\s*WHEN NOT regexp_matches\(nfc_normalize\(t\), (.*)\) THEN 'allow'$", re.M)


@dataclass(frozen=True)
class SqlRule:
    id: int
    action: Action
    concept: str
    terms: tuple[str, ...]
    pattern: str
    unless: str | None

    @property
    def entry(self) -> str:
        shown = ", ".join(self.terms[:3]) + (", …" if len(self.terms) > 3 else "")
        return f"rule {self.id}: {shown}"


def read_rules(script: str) -> list[SqlRule]:
    """The rows of `wildcli_rules` that the script inserts."""
    rules = []
    for m in _INSERT.finditer(script):
        columns = [c.strip() for c in m.group(1).split(",")]
        row = dict(zip(columns, _Values(m.group(2)).row(), strict=True))
        rules.append(SqlRule(
            int(row["id"]), Action(row["action"]), str(row["concept"]), tuple(map(str, row["terms"])),
            str(row["pattern"]), None if row["unless"] is None else str(row["unless"]),
        ))
    return rules


def dialect_of(script: str) -> str:
    m = _META.search(script)
    if m is None:
        raise UsageError("the sql export names no dialect in wildcli_meta")
    return m.group(1)


def to_re2(pattern: str) -> str:
    """A POSTGRES-dialect pattern in RE2 syntax: its boundary and space classes are the only
    constructs the dialects write differently."""
    return pattern.replace(POSTGRES.nonword, RE2.nonword).replace(POSTGRES.space, RE2.space)


class RegexRules:
    """A script's rules in RE2 on the text in a normal form (`form`: NFKC as PostgreSQL's
    wildcli_match normalises it, NFC as DuckDB's). Each pattern is compiled on its own (a set
    of them all can outgrow RE2's memory once contextual rules are in), behind one pattern of
    every term without boundaries, which most texts fail."""

    def __init__(self, rules: list[SqlRule], form: Literal["NFC", "NFKC"] = "NFKC") -> None:
        self.form = form
        self.rules = [
            (rule, re2.compile(to_re2(rule.pattern), re2_options()),
             re2.compile(to_re2(rule.unless), re2_options()) if rule.unless else None)
            for rule in rules
        ]
        terms = sorted({literal(t) for rule in rules for t in rule.terms})
        self.gate = re2.compile(FLAGS + "(?:" + "|".join(terms) + ")", re2_options()) if terms else None

    def apply(self, text: str) -> Verdict:
        norm = unicodedata.normalize(self.form, text)
        if self.gate is None or not self.gate.search(norm):
            return verdict(())
        return verdict(
            Fired(rule.entry, rule.action, rule.concept) for rule, pattern, unless in self.rules
            if pattern.search(norm) and not (unless and unless.search(norm))
        )


class DuckDBRules:
    """The script loaded into an in-memory DuckDB; each text that passes the prefilter is
    given to wildcli_match."""

    def __init__(self, script: str) -> None:
        try:
            import duckdb
        except ImportError:
            raise UsageError("simulating the DuckDB sql export needs DuckDB: pip install duckdb") from None
        self.connection = duckdb.connect()
        self.connection.execute(script)
        self.rules = {r.id: r for r in read_rules(script)}
        gate = _GATE.search(script)
        self.gate = re2.compile(_Values(f"({gate.group(1)})").value(), re2_options()) if gate else None

    def apply(self, text: str) -> Verdict:
        nfc = unicodedata.normalize("NFC", text)
        if self.gate is None or not self.gate.search(nfc):
            return verdict(())
        rows = self.connection.execute("SELECT rule_id FROM wildcli_match(?)", [text]).fetchall()
        fired = [self.rules[row[0]] for row in rows]
        return verdict(Fired(r.entry, r.action, r.concept) for r in fired)


def load_sql(result: ExportResult) -> Applier:
    """The applier of an `sql` export, by the dialect the script names."""
    script = result.texts()
    return DuckDBRules(script) if dialect_of(script) == "duckdb" else RegexRules(read_rules(script))
