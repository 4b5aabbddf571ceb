"""Load an export back from its rendered files, as its target would, into an applier.

Nothing is taken from the lexicon here: what the simulation applies is exactly what the files
hold, so a term an exporter dropped or mangled shows in the figures.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator

from wildcli.errors import UsageError
from wildcli.exporters import ExportFormat
from wildcli.exporters.base import ALLOW_ROLE
from wildcli.exporters.hashed import longest_term
from wildcli.exporters.outputs import by_role
from wildcli.exporters.selection import ExportResult
from wildcli.exporters.skos import language_literals
from wildcli.exporters.solr import split_rule
from wildcli.lexicon.actions import Action
from wildcli.safety import restore_formula
from wildcli.simulation.appliers import (
    AdNegatives,
    Applier,
    HashedList,
    ListEntry,
    PhraseList,
    Regexes,
    RegexRuleRead,
    RuleRead,
    Rules,
    Substrings,
)

RULES = "the rule semantics: a term with no exclusion and, if it has any, a context phrase within the window"
ADS = 'negative "phrase" (the words in order) or [exact] (the whole query); accents count'
TARGETS = {
    ExportFormat.TXT: "phrases after NFKC and case folding; an allow-list phrase covering a match cancels it",
    ExportFormat.CSV: RULES,
    ExportFormat.JSON: RULES,
    ExportFormat.JSONL: RULES,
    ExportFormat.SOLR_SYNONYMS: "each rule's phrases matched as phrases (a synonym hit tags the query)",
    ExportFormat.ES_SYNONYMS_API: "each rule's phrases matched as phrases (a synonym hit tags the query)",
    ExportFormat.STOPWORDS: "each word matched as a whole token",
    ExportFormat.REGEX: "RE2 on the text as it comes: pattern matches and unless does not",
    ExportFormat.GOOGLE_ADS: ADS,
    ExportFormat.MICROSOFT_ADS: ADS,
    ExportFormat.AZURE_BLOCKLIST: "each item as a substring after NFKC and case folding",
    ExportFormat.COMMA_LIST: "each entry matched as a phrase",
    ExportFormat.SKOS: "each label matched as a phrase",
    ExportFormat.HASHED: "HMAC of each run of words up to the longest term; allow rows cancel hits inside",
    ExportFormat.SQL: "DuckDB: wildcli_match on each text; PostgreSQL: its rules in RE2 on the NFKC text",
}
"""How each target applies its list: the semantics `wildcli simulate` implements, in one line."""


def _role_action(role: str) -> Action:
    try:
        return Action(role)
    except ValueError:
        raise UsageError(f"an export list has the unknown role {role!r}") from None


def _lines(text: str) -> Iterator[str]:
    return (line for line in text.splitlines() if line.strip())


def _lists(result: ExportResult) -> tuple[list[ListEntry], list[str]]:
    """Entries per action list (one entry per line), and the allow-list."""
    entries: list[ListEntry] = []
    allow: list[str] = []
    for role, text in by_role(result.parts).items():
        if role == ALLOW_ROLE:
            allow.extend(_lines(text))
        else:
            action = _role_action(role)
            entries.extend(ListEntry(line, action) for line in _lines(text))
    return entries, allow


def _comma_entries(result: ExportResult) -> list[ListEntry]:
    return [
        ListEntry(word.strip(), _role_action(role))
        for role, text in by_role(result.parts).items()
        for line in _lines(text) for word in line.split(",") if word.strip()
    ]


def _solr(result: ExportResult, bodies: bool) -> list[ListEntry]:
    entries: list[ListEntry] = []
    for role, text in by_role(result.parts).items():
        action = _role_action(role)
        if bodies:
            lines = [str(r["synonyms"]) for doc in _json_docs(text) for r in _list(doc["synonyms_set"])]
        else:
            lines = list(_lines(text))
        entries.extend(ListEntry(p, action) for line in lines for p in split_rule(line))
    return entries


def _list(value: object) -> list[dict[str, object]]:
    assert isinstance(value, list)
    return value


def _json_docs(text: str) -> Iterator[dict[str, object]]:
    """Concatenated JSON documents (one per chunk), or JSON Lines."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        doc, pos = decoder.raw_decode(text, pos)
        yield doc


def _skos(result: ExportResult) -> list[ListEntry]:
    return [
        ListEntry(label, _role_action(role))
        for role, text in by_role(result.parts).items()
        for label in language_literals(text)
    ]


def _ads(result: ExportResult) -> AdNegatives:
    phrases, exact = [], []
    for role, text in by_role(result.parts).items():
        action = _role_action(role)
        for line in _lines(text):
            if line.startswith("[") and line.endswith("]"):
                exact.append(ListEntry(line[1:-1], action))
            elif line.startswith('"') and line.endswith('"'):
                phrases.append(ListEntry(line[1:-1], action))
            else:
                phrases.append(ListEntry(line, action))  # no syntax: phrase on Microsoft
    return AdNegatives(phrases, exact)


def _azure(result: ExportResult) -> Substrings:
    entries: list[ListEntry] = []
    for role, text in by_role(result.parts).items():
        action = _role_action(role)
        for doc in _json_docs(text):
            items = _list(doc["blocklistItems"])
            entries.extend(
                ListEntry(str(i["text"]), action, str(i["description"]).split(" ")[0]) for i in items
            )
    return Substrings(entries)


def _records(result: ExportResult, fmt: ExportFormat) -> Iterator[dict[str, object]]:
    text = result.texts()
    if fmt is ExportFormat.JSON:
        for doc in _json_docs(text):
            yield from _list(doc["terms"])
    elif fmt is ExportFormat.JSONL:
        yield from _json_docs(text)
    else:
        for row in csv.DictReader(io.StringIO(text, newline="")):
            yield {
                **row,
                "term": restore_formula(row["term"]),
                "context": json.loads(row["context"]) if row["context"] else [],
                "exclude": json.loads(row["exclude"]) if row["exclude"] else [],
                "window": int(row["window"]),
            }


def _rules(result: ExportResult, fmt: ExportFormat) -> Rules:
    rules = []
    for r in _records(result, fmt):
        context, exclude = r["context"], r["exclude"]
        assert isinstance(context, list)
        assert isinstance(exclude, list)
        rules.append(RuleRead(
            str(r["term"]), Action(str(r["action"])), str(r["concept"]),
            tuple(map(str, context)), tuple(map(str, exclude)), int(str(r["window"])),
        ))
    return Rules(rules)


def _regexes(result: ExportResult) -> Regexes:
    rows = csv.DictReader(io.StringIO(result.texts()), delimiter="\t", quoting=csv.QUOTE_NONE)
    return Regexes(
        RegexRuleRead(Action(r["action"]), r["concept"], r["pattern"], r["unless"] or None) for r in rows
    )


def _hashed(result: ExportResult, key: bytes | None) -> HashedList:
    if not key:
        raise UsageError("simulating the hashed format needs its HMAC key")
    rows: dict[str, list[tuple[str, Action]]] = defaultdict(list)
    text = result.texts()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            digest, concept, action = line.split("\t")
            rows[digest].append((concept, Action(action)))
    return HashedList(rows, key, longest_term(text))


def load_applier(result: ExportResult, key: bytes | None = None) -> Applier:
    """The target of `result.format`, loaded from the rendered files."""
    fmt = result.format
    if fmt in (ExportFormat.TXT, ExportFormat.STOPWORDS):
        entries, allow = _lists(result)
        return PhraseList(entries, allow)
    if fmt is ExportFormat.COMMA_LIST:
        return PhraseList(_comma_entries(result))
    if fmt in (ExportFormat.SOLR_SYNONYMS, ExportFormat.ES_SYNONYMS_API):
        return PhraseList(_solr(result, bodies=fmt is ExportFormat.ES_SYNONYMS_API))
    if fmt is ExportFormat.SKOS:
        return PhraseList(_skos(result))
    if fmt in (ExportFormat.GOOGLE_ADS, ExportFormat.MICROSOFT_ADS):
        return _ads(result)
    if fmt is ExportFormat.AZURE_BLOCKLIST:
        return _azure(result)
    if fmt in (ExportFormat.JSON, ExportFormat.JSONL, ExportFormat.CSV):
        return _rules(result, fmt)
    if fmt is ExportFormat.REGEX:
        return _regexes(result)
    if fmt is ExportFormat.HASHED:
        return _hashed(result, key)
    if fmt is ExportFormat.SQL:
        from wildcli.simulation.sqlrules import load_sql  # DuckDB is imported only then
        return load_sql(result)
    raise UsageError(f"wildcli simulate cannot apply the {fmt.value} format")


__all__ = ["TARGETS", "load_applier"]
