"""Add one term to a lexicon file, keeping the file sorted, canonical and schema-valid."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from wildcli.atomic import write_atomic
from wildcli.errors import LexiconError, Location, UsageError
from wildcli.languages import view_for
from wildcli.lexicon.canonical import (
    SCHEMA_LINE,
    dump_roundtrip,
    format_text,
    load_roundtrip,
    schema_line,
)
from wildcli.lexicon.loader import CONCEPT_FILE, bundled_lexicon_dir, display_path
from wildcli.lexicon.parse import CONCEPT_ID, LANG_TAG, TERM_KEYS, parse_terms
from wildcli.lexicon.yamlfile import parse_yaml
from wildcli.normalize import normalize_key


def add_term(
    root: Path, concept: str, lang: str, entry: dict[str, Any], *, today: datetime.date | None = None
) -> Path:
    """Add `entry` (the fields of one term) to `root/<concept>/<lang>.yaml` and return that path.

    `added` defaults to today. Raises UsageError for an unknown concept, a bad language tag, an
    invalid entry or a term already in the file, and LexiconError when the file is broken.
    """
    _check_names(root, concept, lang)
    path = root / concept / f"{lang}.yaml"
    shown = display_path(path)
    entry = _ordered({"added": (today or datetime.date.today()).isoformat(), **entry})
    _validate(entry, path, concept, lang)
    text = _read(path) if path.exists() else f"{schema_line(path)}\nterms: []\n"
    _refuse_duplicate(text, shown, lang, str(entry["term"]))
    first, _, rest = text.partition("\n")
    data = load_roundtrip(rest if SCHEMA_LINE.match(first) else text, shown)
    if not isinstance(data, CommentedMap) or not isinstance(data.get("terms"), list):
        raise LexiconError("expected a mapping with a terms list", Location(shown))
    data["terms"].append(_commented(entry))
    result = format_text(dump_roundtrip(data, schema_line(path, first)), path, shown)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, result)
    return path


def _check_names(root: Path, concept: str, lang: str) -> None:
    if not CONCEPT_ID.match(concept):
        raise UsageError(f"{concept!r} is not a concept id (snake_case, e.g. pangolin_scales)")
    if not LANG_TAG.match(lang):
        raise UsageError(f"{lang!r} is not a BCP-47 language tag (e.g. vi, zh-Hans, pt-BR)")
    # An overlay may add terms to a concept that only the bundled lexicon defines.
    homes = [root] if root.resolve() == bundled_lexicon_dir().resolve() else [root, bundled_lexicon_dir()]
    if not any((home / concept / CONCEPT_FILE).is_file() for home in homes):
        raise UsageError(
            f"unknown concept {concept!r}: there is no {display_path(root / concept / CONCEPT_FILE)}"
        )


def _ordered(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields in file order, leaving out the empty ones."""
    unknown = sorted(set(entry) - set(TERM_KEYS))
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r} (expected one of: {', '.join(TERM_KEYS)})")
    return {k: entry[k] for k in TERM_KEYS if entry.get(k) not in (None, "", [], ())}


def _validate(entry: dict[str, Any], path: Path, concept: str, lang: str) -> None:
    """Check the entry alone with the loader's own rules, before anything is written."""
    text = dump_roundtrip(CommentedMap(terms=CommentedSeq([_commented(entry)])), schema_line(path))
    errors: list[LexiconError] = []
    parse_terms(parse_yaml(text, "entry"), None, concept, lang, errors.append)
    if errors:
        error = errors[0]
        field = (error.location.field or "") if error.location else ""
        field = field.removeprefix("terms[0]").lstrip(".")
        raise UsageError(f"invalid term: {field + ': ' if field else ''}{error.message}")


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"cannot read: {exc}", Location(display_path(path))) from None


def _refuse_duplicate(text: str, shown: str, lang: str, term: str) -> None:
    doc = parse_yaml(text, shown)
    entries = doc.data.get("terms") if isinstance(doc.data, dict) else None
    key = normalize_key(term, view_for(lang))
    for i, existing in enumerate(entries if isinstance(entries, list) else []):
        other = existing.get("term") if isinstance(existing, dict) else None
        if isinstance(other, str) and normalize_key(other, view_for(lang)) == key:
            where = doc.location(("terms", i, "term"))
            raise UsageError(f"{term!r} is already in {where} as {other!r}")


def _commented(value: Any) -> Any:
    """Plain dicts and lists as ruamel round-trip nodes, so the canonical layout applies to them."""
    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return CommentedSeq(_commented(v) for v in value)
    return value
