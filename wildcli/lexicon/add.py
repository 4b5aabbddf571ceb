"""Add one term to a lexicon file, keeping the file sorted, canonical and schema-valid."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from wildcli.atomic import write_atomic
from wildcli.errors import LexiconError, Location, UsageError
from wildcli.lexicon.canonical import (
    SCHEMA_LINE,
    comparable,
    dump_roundtrip,
    format_text,
    laid_out,
    load_roundtrip,
    schema_line,
)
from wildcli.lexicon.loader import CONCEPT_FILE, bundled_lexicon_dir, display_path
from wildcli.lexicon.parse import CONCEPT_ID, LANG_TAG, TERM_KEYS, parse_terms
from wildcli.lexicon.yamlfile import YamlDocument, parse_yaml
from wildcli.match.languages import view_for
from wildcli.text.normalize import normalize_key


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
    new_file = not path.exists()
    text = f"{schema_line(path)}\nterms: []\n" if new_file else _read(path)
    doc = parse_yaml(text, shown)
    _refuse_duplicate(doc, lang, str(entry["term"]))
    first, _, rest = text.partition("\n")
    result = _added_directly(doc, text, path, entry, new_file)
    if result is None:  # comments to keep, or a layout only ruamel.yaml can tell
        data = load_roundtrip(rest if SCHEMA_LINE.match(first) else text, shown)
        if not isinstance(data, CommentedMap) or not isinstance(data.get("terms"), list):
            raise LexiconError("expected a mapping with a terms list", Location(shown))
        data["terms"].append(_commented(entry))
        result = format_text(dump_roundtrip(data, schema_line(path, first)), path, shown)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, result)
    return path


def _added_directly(
    doc: YamlDocument, text: str, path: Path, entry: dict[str, Any], new_file: bool
) -> str | None:
    """The file with `entry` added, laid out without ruamel.yaml's round trip when the file has
    no comment and is canonical already, as nearly every file is; None otherwise."""
    data, first = doc.data, text.partition("\n")[0]
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        return None
    if not new_file and laid_out(data, path, first) != text:
        return None
    wanted = {**data, "terms": [*data["terms"], entry]}
    result = laid_out(wanted, path, first)
    if result is None:
        return None
    # What format_text would say of it: canonical, and holding exactly the data wanted.
    again = parse_yaml(result, doc.path).data
    if laid_out(again, path, first) != result or comparable(again) != comparable(wanted):
        return None
    return result


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


def _refuse_duplicate(doc: YamlDocument, lang: str, term: str) -> None:
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
