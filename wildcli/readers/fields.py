"""Which fields of a record hold listing text, which one is its id, and how values become text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wildcli.readers.base import Plan, ReadOptions, Record

TEXT_WORDS = (
    "title", "description", "desc", "name", "body", "text", "content", "message",
    "caption", "comment", "summary", "details", "post", "query",
)  # fmt: skip
# English words that end in "id" but are not identifiers.
_ID_LOOKALIKES = frozenset(
    {"paid", "unpaid", "prepaid", "valid", "invalid", "said", "kid", "squid", "android", "hybrid",
     "liquid", "solid", "rapid", "void", "avoid", "acid", "fluid", "grid", "lid", "bid", "rid"}
)  # fmt: skip
_NOT_TEXT_ENDINGS = ("url", "_at", "date", "_time", "timestamp")
_MISSING = object()
JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def kind_of(value: object) -> str:
    """`an array`, `a string`... for messages about the wrong kind of JSON value."""
    return JSON_KINDS.get(type(value), "a number")


def missing_message(name: str, options: ReadOptions) -> str:
    """The message for a requested field (or id field) that no record had."""
    role = "id field" if name == options.id_field and name not in (options.fields or ()) else "field"
    return f"{role} '{name}' not found in any record"


def is_id_name(name: str) -> bool:
    """`id`, or a name ending in `id`/`_id` (post_id, tweetId, listingid), but not `paid`, `valid`."""
    lowered = name.strip().lower()
    return lowered.endswith("id") and lowered not in _ID_LOOKALIKES


def is_text_name(name: str) -> bool:
    """A name that says it holds prose (title, item_description...), not an id, URL or date."""
    lowered = name.strip().lower()
    if is_id_name(lowered) or lowered.startswith("date") or lowered.endswith(_NOT_TEXT_ENDINGS):
        return False
    return any(word in lowered for word in TEXT_WORDS)


def detect_text_fields(names: Iterable[str]) -> list[str]:
    """Text-like names; if there are none, every name that is not an id, URL or date.

    The fallback keeps a dump with unusual column names (`a`, `b`) from being scanned as empty.
    """
    names = list(names)
    chosen = [name for name in names if is_text_name(name)]
    if chosen:
        return chosen
    return [n for n in names if not is_id_name(n) and not n.lower().endswith(_NOT_TEXT_ENDINGS)]


def detect_id_field(names: Iterable[str]) -> str | None:
    """A name that is exactly `id` (any case), else the first name that ends in `id`."""
    names = list(names)
    exact = next((name for name in names if name.strip().lower() == "id"), None)
    return exact if exact is not None else next((name for name in names if is_id_name(name)), None)


def unique_names(cells: Sequence[str]) -> list[str]:
    """Header cells made usable as field names: trimmed, blanks named `column_N` (1-based).

    A repeated name keeps its first occurrence as is; later ones become `name_2`, `name_3`...
    so no column's text is lost and every field name stays unique.
    """
    names = [cell.strip() or f"column_{i}" for i, cell in enumerate(cells, 1)]
    taken = set(names)
    seen: set[str] = set()
    result = []
    for name in names:
        unique = name
        if name in seen:
            suffix = 2
            while f"{name}_{suffix}" in taken:
                suffix += 1
            unique = f"{name}_{suffix}"
            taken.add(unique)
        seen.add(name)
        result.append(unique)
    return result


def _scalar_text(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def to_text(value: object) -> str | None:
    """The text of a JSON value: str() of scalars, lists of scalars joined by newlines.

    Null, objects and empty text give None: the field is left out of the record.
    """
    if isinstance(value, list):
        parts = [text for text in map(_scalar_text, value) if text]
        return "\n".join(parts) or None
    return _scalar_text(value)


def merge_values(old: object, new: object) -> object:
    """Every value of a key written twice in one object (JSON parsers keep only the last, so a
    seller could hide a title behind a second one): objects merged key by key, anything else in
    a list, lists joined, so that each text is still scanned and a path into an object resolves."""
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = merge_values(merged[key], value) if key in merged else value
        return merged
    return [*(old if isinstance(old, list) else [old]), *(new if isinstance(new, list) else [new])]


def lookup(obj: Mapping[str, object], path: str) -> object:
    """The value at a dotted path; a key that itself contains the dots wins. _MISSING if absent."""
    value = obj.get(path, _MISSING)
    if value is not _MISSING or "." not in path:
        return value
    current: object = obj
    for part in path.split("."):
        if not isinstance(current, dict):
            return _MISSING
        current = current.get(part, _MISSING)
        if current is _MISSING:
            return _MISSING
    return current


def _textual(value: object) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, list) and all(
        isinstance(item, str) for item in value))  # fmt: skip


@dataclass
class ObjectFields:
    """Turns JSON objects into records. Defaults are detected from the first object seen.

    `number_ids`: a record without an id gets its record number as id (else an empty id, for
    byte ranges read on their own, whose numbering only the caller knows).
    """

    options: ReadOptions
    fields: tuple[str, ...] | None = None
    id_field: str | None = None
    _unseen: set[str] | None = None
    number_ids: bool = True

    @staticmethod
    def detect(options: ReadOptions, obj: Mapping[str, object]) -> Plan:
        """The text fields and id field for a dump whose first object is `obj`."""
        fields = options.fields
        if fields is None:
            # A text-like name counts whatever its first value is (`"title": 1984`, a list mixing
            # strings and numbers): judged by value, the whole dump would be scanned without it.
            named = tuple(k for k, v in obj.items() if not isinstance(v, dict) and is_text_name(k))
            fields = named or tuple(detect_text_fields(k for k, v in obj.items() if _textual(v)))
        id_field = options.id_field
        if id_field is None:
            scalars = (k for k, v in obj.items() if v is not None and not isinstance(v, (dict, list)))
            id_field = detect_id_field(scalars)
        return fields, id_field

    def _plan(self, obj: Mapping[str, object]) -> None:
        self.preset(ObjectFields.detect(self.options, obj))

    def preset(self, plan: Plan) -> None:
        """Use `plan` (from `detect` on the dump's first object) instead of the first object seen."""
        self.fields, self.id_field = plan
        requested = [*(self.options.fields or ()), self.options.id_field or ""]
        self._unseen = {name for name in requested if name}

    def record(self, obj: Mapping[str, object], source: str, row: int, line: int | None) -> Record:
        if self.fields is None:
            self._plan(obj)
        assert self.fields is not None
        if self._unseen:
            self._note_seen(obj)
        # The hot path of reading JSON: `lookup` and `to_text` inlined for what nearly every value
        # is, a string under a plain top-level key; anything else takes the general functions.
        get = obj.get
        texts: dict[str, str] = {}
        for name in self.fields:
            value = get(name, _MISSING)
            if value is _MISSING and "." in name:
                value = lookup(obj, name)
            if type(value) is str:
                if value:
                    texts[name] = value
            elif value is not _MISSING:
                text = to_text(value)
                if text is not None:
                    texts[name] = text
        record_id = ""
        id_field = self.id_field
        if id_field is not None:
            value = get(id_field, _MISSING)
            if value is _MISSING and "." in id_field:
                value = lookup(obj, id_field)
            if type(value) is str:
                record_id = value.strip()
            elif value is not _MISSING:
                record_id = (_scalar_text(value) or "").strip()
        if not record_id and self.number_ids:
            record_id = str(row)
        return Record(source, row, record_id, texts, line)

    def _note_seen(self, obj: Mapping[str, object]) -> None:
        """Strike the fields (and id field) that `obj` has off the requested ones not seen yet.

        Only called while some are unseen: usually the first object has them all, and from then
        on no record pays for this bookkeeping.
        """
        assert self.fields is not None
        assert self._unseen is not None
        for name in (*self.fields, self.id_field):
            if name is not None and name in self._unseen and lookup(obj, name) is not _MISSING:
                self._unseen.discard(name)

    def unseen(self) -> frozenset[str] | None:
        """Requested fields no object had so far; None before the first object."""
        return None if self._unseen is None else frozenset(self._unseen)

    def never_seen(self) -> list[str]:
        """Requested fields (and id field) that no object had; empty before the first object."""
        if self._unseen is None:
            return []
        requested = [*(self.options.fields or ()), self.options.id_field or ""]
        return [name for name in dict.fromkeys(requested) if name in self._unseen]
