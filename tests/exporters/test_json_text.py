"""The indented JSON of the `json` and Elasticsearch exports is written by orjson, for speed: it must
be the very text json.dumps(..., ensure_ascii=False, sort_keys=True, indent=2) gives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildcli.exporters.json_records import dumps

VALUES: list[Any] = [
    {},
    [],
    {"b": [], "a": {}, "c": None, "d": True, "e": 0, "f": -12, "g": 2026},
    {"term": 'quote " backslash \\ slash / tab \t newline \n nul \x00 unit \x1f del \x7f'},
    {"term": "象牙 ngà voi \u2028 \u2029 🐘 é\u0301 \ufeff"},
    {"terms": [{"z": 1, "a": [1, [2, []], {"k": "v"}]}, {"sources": [{"title": "T", "url": None, "year": 2024}]}]},
]


@pytest.mark.parametrize("value", VALUES)
def test_indented_text_is_json_dumps_text(value: Any) -> None:
    assert dumps(value, indent=2) == json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    assert dumps(value) == json.dumps(value, ensure_ascii=False, sort_keys=True)


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
))
def test_any_export_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    # Lone surrogates are left out: lexicon files are UTF-8, which cannot hold one.
    assert dumps(value, indent=2) == json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
