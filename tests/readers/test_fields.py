"""Field selection: text-like and id-like names, header clean-up, JSON value to text, dotted paths."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wildcli.readers import ReadOptions
from wildcli.readers.fields import (
    ObjectFields,
    detect_id_field,
    detect_text_fields,
    is_id_name,
    is_text_name,
    lookup,
    to_text,
    unique_names,
)


@pytest.mark.parametrize("name", [
    "title", "Title", "item_description", "desc", "seller_name", "body", "tweet_text_cleaned", "content",
    "message", "caption", "comment", "summary", "details", "post", "text_stop_stem", "product_name", "title_zh",
    "query", "search_query",
])  # fmt: skip
def test_text_like_names(name: str) -> None:
    assert is_text_name(name)


@pytest.mark.parametrize("name", [
    "id", "post_id", "name_id", "titleId", "image_url", "url", "post_url", "posted_at", "post_date", "date_posted",
    "price", "label", "category", "source", "original_tid", "description_timestamp",
])  # fmt: skip
def test_not_text_like_names(name: str) -> None:
    assert not is_text_name(name)


@pytest.mark.parametrize(("name", "expected"), [
    ("id", True), ("ID", True), ("post_id", True), ("tweetId", True), ("listingid", True),
    ("classifieds_unique_listing_id", True), ("paid", False), ("valid", False), ("title", False),
])  # fmt: skip
def test_id_like_names(name: str, expected: bool) -> None:
    assert is_id_name(name) is expected


@pytest.mark.parametrize(("names", "expected"), [
    (["tweet_id", "tweet_text_cleaned", "user_description_cleaned", "label", "source", "original_tid"], "tweet_id"),
    (["classifieds_unique_listing_id", "text_stop_stem", "label1"], "classifieds_unique_listing_id"),
    (["post_id", "category", "title", "description", "price"], "post_id"),
    (["platform", "product_id", "product_name", "category", "price"], "product_id"),
    (["listing_id", "seller_id", "Id", "title"], "Id"),
    (["title", "paid", "body"], None),
])  # fmt: skip
def test_detect_id_field(names: list[str], expected: str | None) -> None:
    assert detect_id_field(names) == expected


@pytest.mark.parametrize(("names", "expected"), [
    (["tweet_id", "tweet_text_cleaned", "user_description_cleaned", "label", "source", "original_tid"],
     ["tweet_text_cleaned", "user_description_cleaned"]),
    (["id", "source_file", "title_zh", "title_en_reference"], ["title_zh", "title_en_reference"]),
    (["post_id", "category", "title", "description", "price"], ["title", "description"]),
    (["sku", "a", "b", "image_url", "updated_at"], ["sku", "a", "b"]),  # no text-like name: all but id/url/date
])  # fmt: skip
def test_detect_text_fields(names: list[str], expected: list[str]) -> None:
    assert detect_text_fields(names) == expected


def test_unique_names() -> None:
    assert unique_names(["id", " title ", "", "title", "title", "title_2"]) == [
        "id", "title", "column_3", "title_3", "title_4", "title_2",
    ]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), [
    ("text", "text"), ("", None), (None, None), (3, "3"), (2.5, "2.5"), (Decimal("1.10"), "1.10"), (True, "True"),
    (["a", "b"], "a\nb"), (["a", None, 1, {"x": 1}, [2]], "a\n1"), ([], None), ({"a": "b"}, None),
])  # fmt: skip
def test_to_text(value: object, expected: str | None) -> None:
    assert to_text(value) == expected


def test_lookup_dotted_paths() -> None:
    obj = {"seller": {"name": "Ann", "shop": {"title": "T"}}, "a.b": 1, "a": {"b": 2}, "list": [{"x": 1}]}
    assert lookup(obj, "seller.name") == "Ann"
    assert lookup(obj, "seller.shop.title") == "T"
    assert lookup(obj, "a.b") == 1  # a key holding the dots wins over the path
    for missing in ("seller.age", "seller.name.first", "list.x", "nope"):
        assert lookup(obj, missing) is lookup(obj, "nope")


def test_object_fields_detect_from_first_object_only() -> None:
    fields = ObjectFields(ReadOptions())
    first = fields.record(
        {"post_id": 7, "title": "a", "body": None, "tags": ["x"], "seller": {"name": "s"}}, "f", 1, 1
    )
    assert (first.id, dict(first.fields)) == ("7", {"title": "a"})
    later = fields.record({"post_id": "p", "title": "b", "body": "c", "description": "ignored"}, "f", 2, 2)
    assert (later.id, dict(later.fields)) == ("p", {"title": "b", "body": "c"})
    assert fields.never_seen() == []
