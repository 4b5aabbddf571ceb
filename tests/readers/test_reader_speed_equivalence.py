"""The readers' fast paths give what the general code gives: Record's hand-written __init__, and
ObjectFields.record's inlined lookups against lookup/to_text on random JSON objects."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wildcli.readers import CountedRecord, ReadOptions, Record
from wildcli.readers.base import Plan
from wildcli.readers.fields import ObjectFields, lookup, to_text

_MISSING = lookup({}, "absent")
_KEYS = ["id", "title", "a", "a.b", "seller", "tags", "", " id "]
_STRINGS = st.sampled_from(["", " ", "\t", " x ", "a", "象"]) | st.text(alphabet=" \t.aé象\u2028", max_size=4)
_SCALARS = st.none() | st.booleans() | st.integers(-10, 10**12) | st.floats(allow_nan=False) | _STRINGS
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=3),
    max_leaves=8,
)
# Nested objects keyed mostly by the second part of the dotted names below, so paths resolve.
_NESTED = st.dictionaries(st.sampled_from(["b", "name", "a.b"]), _VALUES | _STRINGS, min_size=1, max_size=3)
_OBJECTS = st.fixed_dictionaries({}, optional=dict.fromkeys(_KEYS, _SCALARS | _NESTED | _VALUES))
_NAMES = st.sampled_from(["title", "a", "a.b", "seller.name", "seller.name.x", "tags", "id", "nope"])
_OPTIONS = st.builds(
    ReadOptions,
    fields=st.none() | st.lists(_NAMES, max_size=3).map(tuple),
    id_field=st.none() | st.sampled_from(["id", "a.b", "seller.name", "nope"]),
)


def test_record_init_takes_exactly_the_dataclass_fields() -> None:
    params = list(inspect.signature(Record.__init__).parameters.values())[1:]
    expected = [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(Record)
    ]
    assert [(p.name, p.default) for p in params] == expected
    record = Record("dump.csv", 2, "x", {"title": "t"}, 3)
    assert vars(record) == {"source": "dump.csv", "row": 2, "id": "x", "fields": {"title": "t"}, "line": 3,
                            "count": 1}  # fmt: skip
    assert Record(source="s", row=1, id="1", fields={}).line is None
    assert dataclasses.replace(record, line=4) == Record("dump.csv", 2, "x", {"title": "t"}, 4)
    assert pickle.loads(pickle.dumps(record)) == record
    assert repr(record) == "Record(source='dump.csv', row=2, id='x', fields={'title': 't'}, line=3, count=1)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.row = 5  # type: ignore[misc]


def test_a_counted_record_is_a_record_that_says_its_count_came_from_the_input() -> None:
    counted = CountedRecord("q.tsv", 1, "1", {"query": "ivory"}, 2, 40)
    assert (counted.count, counted.counted) == (40, True)
    assert (Record("q.tsv", 1, "1", {}).count, Record("q.tsv", 1, "1", {}).counted) == (1, False)
    assert counted != Record("q.tsv", 1, "1", {"query": "ivory"}, 2, 40)
    assert dataclasses.replace(counted, count=3) == CountedRecord("q.tsv", 1, "1", {"query": "ivory"}, 2, 3)
    assert pickle.loads(pickle.dumps(counted)) == counted
    assert repr(counted).startswith("CountedRecord(source='q.tsv'")
    assert [f.name for f in dataclasses.fields(counted)] == [f.name for f in dataclasses.fields(Record)]


def _reference_record(plan: Plan, obj: dict[str, object], row: int, number_ids: bool) -> Record:
    """ObjectFields.record as written before its fast path: every value through lookup and to_text."""
    names, id_field = plan
    texts = {}
    for name in names:
        value = lookup(obj, name)
        text = None if value is _MISSING else to_text(value)
        if text is not None:
            texts[name] = text
    record_id = None
    if id_field is not None:
        value = lookup(obj, id_field)
        if value is not _MISSING and not isinstance(value, (list, dict)):
            record_id = to_text(value)
    default = str(row) if number_ids else ""
    return Record("f", row, (record_id or "").strip() or default, texts, row)


_DOTTED = ReadOptions(fields=("a.b", "seller.name", "title"), id_field="seller.name")


@settings(max_examples=300, deadline=None)
@example(_DOTTED, [{"a": {"b": "x"}, "seller": {"name": " s "}}, {"a.b": "", "a": {"b": "y"}}], True)
@example(_DOTTED, [{"a": {"b": ["x", 2, None]}, "seller": {"name": 7}}, {"seller": {"name": [1]}}], False)
@given(options=_OPTIONS, objects=st.lists(_OBJECTS, min_size=1, max_size=5), number_ids=st.booleans())
def test_object_fields_fast_path_equals_the_general_functions(
    options: ReadOptions, objects: list[dict[str, object]], number_ids: bool
) -> None:
    fields = ObjectFields(options, number_ids=number_ids)
    plan = ObjectFields.detect(options, objects[0])
    requested = [name for name in (*(options.fields or ()), options.id_field or "") if name]
    unseen = set(requested)
    for row, obj in enumerate(objects, 1):
        assert fields.record(obj, "f", row, row) == _reference_record(plan, obj, row, number_ids)
        unseen -= {name for name in (*plan[0], plan[1]) if name and lookup(obj, name) is not _MISSING}
        assert fields.unseen() == frozenset(unseen)
    assert fields.never_seen() == [name for name in dict.fromkeys(requested) if name in unseen]
