"""The JSON Schemas for editors say exactly what the loader accepts, and every file names its schema."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.conftest import DATA, ROOT, VALID_LEXICON
from wildcli.lexicon.canonical import SCHEMA_DIR, SCHEMA_LINE
from wildcli.lexicon.model import MAX_QUOTE_CHARS, Kind, Role, Sensitivity, Severity, SourceKind, Status
from wildcli.lexicon.parse import (
    CONCEPT_ID,
    CONCEPT_KEYS,
    DATE,
    LANG_TAG,
    MAX_TERM_CHARS,
    MAX_WINDOW,
    SOURCE_KEYS,
    SPECIES_KEYS,
    TERM_KEYS,
)
from wildcli.lexicon.yamlfile import read_yaml

CONCEPT = json.loads((SCHEMA_DIR / "concept.schema.json").read_text("utf-8"))
TERMS = json.loads((SCHEMA_DIR / "terms.schema.json").read_text("utf-8"))
TERM = TERMS["definitions"]["term"]
ISSUES = DATA / "lexicons" / "issues"
INVALID = DATA / "lexicons" / "invalid"
BUNDLED = sorted((ROOT / "lexicons").glob("*/*.yaml"))


def validator(path: Path) -> Draft7Validator:
    return Draft7Validator(CONCEPT if path.name == "concept.yaml" else TERMS)


def schema_errors(path: Path) -> list[str]:
    data = read_yaml(path).data
    return [f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(path).iter_errors(data)]


def values(enum: type[Enum]) -> list[Any]:
    return [m.value for m in enum]


@pytest.mark.parametrize("schema", [CONCEPT, TERMS])
def test_schemas_are_valid_draft_7(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def test_enums_equal_the_python_enums() -> None:
    def without_null(values: list[Any]) -> list[Any]:
        return [v for v in values if v is not None]

    props = TERM["properties"]
    assert props["kind"]["enum"] == values(Kind)
    assert without_null(props["severity"]["enum"]) == values(Severity)
    assert props["status"]["enum"] == values(Status)
    assert without_null(props["sensitivity"]["enum"]) == values(Sensitivity)
    assert CONCEPT["properties"]["severity"]["enum"] == values(Severity)
    assert without_null(CONCEPT["properties"]["role"]["enum"]) == values(Role)


def test_properties_equal_the_parser_keys() -> None:
    assert tuple(CONCEPT["properties"]) == CONCEPT_KEYS
    assert tuple(TERM["properties"]) == TERM_KEYS
    assert tuple(TERMS["definitions"]["source"]["properties"]) == SOURCE_KEYS
    assert tuple(CONCEPT["definitions"]["species"]["properties"]) == SPECIES_KEYS


def test_patterns_and_limits_equal_the_parser_ones() -> None:
    assert CONCEPT["properties"]["id"]["pattern"] == CONCEPT_ID.pattern
    assert CONCEPT["properties"]["labels"]["propertyNames"]["pattern"] == LANG_TAG.pattern
    assert TERM["properties"]["added"]["pattern"] == DATE.pattern
    assert TERM["properties"]["term"]["maxLength"] == MAX_TERM_CHARS
    assert TERM["properties"]["window"]["maximum"] == MAX_WINDOW


@pytest.mark.parametrize("path", sorted(VALID_LEXICON.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_lexicon_files_are_schema_valid(path: Path) -> None:
    assert schema_errors(path) == []


@pytest.mark.parametrize("rule", sorted(p.name for p in ISSUES.iterdir()))
def test_lint_fixtures_are_schema_valid_unless_the_rule_is_a_schema_rule(rule: str) -> None:
    errors = [e for path in sorted((ISSUES / rule).glob("*/*.yaml")) for e in schema_errors(path)]
    assert bool(errors) == (rule in {"WL001", "WL006"}), errors


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown_field", "Additional properties are not allowed ('colour' was unexpected)"),
        ("missing_sources", "'sources' is a required property"),
        ("bad_enum", "'animal' is not one of"),
        ("empty_status", "None is not one of ['proposed', 'approved', 'retired']"),
        ("bad_date", "'29/11/2026' does not match"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(name: str, message: str) -> None:
    (error,) = schema_errors(INVALID / name / "pangolin" / "en.yaml")
    assert message in error


def test_approved_needs_a_non_empty_source_list() -> None:
    entry = {"term": "x", "kind": "name", "status": "approved", "sources": []}
    assert not Draft7Validator(TERMS).is_valid({"terms": [entry]})
    assert Draft7Validator(TERMS).is_valid({"terms": [{**entry, "status": "proposed"}]})


def test_bundled_lexicon_files_are_schema_valid() -> None:
    if not BUNDLED:
        pytest.skip("the bundled lexicon has no files yet")
    assert [e for path in BUNDLED for e in schema_errors(path)] == []


def test_every_file_names_its_schema_on_the_first_line() -> None:
    files = [*BUNDLED, *VALID_LEXICON.glob("*/*.yaml"), *INVALID.glob("*/*/*.yaml"),
             *(p for p in ISSUES.glob("*/*/*.yaml") if p.parts[-3] != "WL010")]
    wrong = []
    for path in files:
        first = path.read_text("utf-8").split("\n", 1)[0]
        match = SCHEMA_LINE.match(first)
        name = "concept" if path.name == "concept.yaml" else "terms"
        if not match or match.group(2) != name or not (path.parent / f"{match.group(1)}{name}.schema.json").is_file():
            wrong.append(f"{path}: {first}")
    assert wrong == []


def test_bundled_files_use_the_checkout_relative_schema_path() -> None:
    for path in BUNDLED:
        name = "concept" if path.name == "concept.yaml" else "terms"
        assert path.read_text("utf-8").startswith(
            f"# yaml-language-server: $schema=../../wildcli/schema/{name}.schema.json\n"), path


def test_source_kind_and_quote_match_the_loader() -> None:
    source = TERMS["definitions"]["source"]
    assert [v for v in source["properties"]["kind"]["enum"] if v is not None] == values(SourceKind)
    assert source["properties"]["quote"]["maxLength"] == MAX_QUOTE_CHARS
    entry = {"term": "x", "kind": "slang", "status": "approved"}

    def valid(src: dict[str, Any]) -> bool:
        return Draft7Validator(TERMS).is_valid({"terms": [{**entry, "sources": [{"title": "t", **src}]}]})

    assert valid({"kind": "report", "quote": "Sellers call it x."})
    assert valid({"kind": "news", "quote_missing": True})
    assert not valid({"kind": "mirror"})
    assert not valid({"quote": "x" * (MAX_QUOTE_CHARS + 1)})
    assert not valid({"quote": "Sellers call it x.", "quote_missing": True})
