"""Safe YAML 1.2 reading: scalars keep their text, dangerous constructs fail with a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from wildcli.errors import LexiconError
from wildcli.lexicon.yamlfile import MAX_DEPTH, format_path, parse_yaml, read_yaml


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),  # Norwegian "no" must not become False (YAML 1.1)
        ("on", "on"),
        ("yes", "yes"),
        ("off", "off"),
        ("y", "y"),
        ("2024-05-01", "2024-05-01"),  # an unquoted date stays a string
        ("2024-05-01 10:00:00", "2024-05-01 10:00:00"),
        ("1:20", "1:20"),  # no sexagesimal numbers
        ("0x1F", "0x1F"),
        (".inf", ".inf"),
        ('"123"', "123"),
        ("true", True),
        ("False", False),
        ("2022", 2022),
        ("-7", -7),
        ("1.5", 1.5),
        ("~", None),
        ("null", None),
        ("", None),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    assert parse_yaml(f"key: {text}\n", "x.yaml").data == {"key": value}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("terms:\n  - term: a\n    kind: name\n    kind: slang\n", "x.yaml:4: duplicate key 'kind'"),
        ("a: &x 1\nb: *x\n", "x.yaml:1: anchors and aliases are not allowed in lexicon files"),
        ("base: &b {k: 1}\nother:\n  <<: *b\n", "x.yaml:3: merge keys (<<) are not allowed in lexicon files"),
        ("term: !!python/name:os.system x\n", "x.yaml:1: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
        ("term: !secret x\n", "x.yaml:1: YAML tag '!secret' is not allowed"),
        ("? [a, b]\n: c\n", "x.yaml:1: mapping keys must be plain strings"),
        ("terms: [a\n", "x.yaml:2: invalid YAML: did not find expected ',' or ']'"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_with_a_line(text: str, message: str) -> None:
    with pytest.raises(LexiconError) as caught:
        parse_yaml(text, "x.yaml")
    assert str(caught.value) == message


def test_nesting_limit() -> None:
    text = "a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n"
    with pytest.raises(LexiconError, match=f"nested deeper than {MAX_DEPTH} levels"):
        parse_yaml(text, "x.yaml")


def test_lines_of_values_and_items() -> None:
    doc = parse_yaml("terms:\n  - term: a\n    examples:\n      - one\n      - two\n", "x.yaml")
    assert doc.line_of(("terms", 0, "examples", 1)) == 5
    assert doc.line_of(("terms", 0, "missing", 3)) == 2  # falls back to the closest ancestor
    assert str(doc.location(("terms", 0, "term"))) == "x.yaml:2"
    assert doc.location(("terms", 0, "term")).field == "terms[0].term"
    assert format_path(("terms", 3, "sources", 0, "url")) == "terms[3].sources[0].url"


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_bytes(b"terms:\n  - term: \xff\n")
    with pytest.raises(LexiconError) as caught:
        read_yaml(path, "en.yaml")
    assert str(caught.value) == "en.yaml:2: not valid UTF-8"
