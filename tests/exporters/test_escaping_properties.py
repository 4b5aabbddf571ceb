"""Property tests: every escaper round-trips any text through its consumer's parser."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import re2
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from tests.exporters.test_formats import lucene_split, lucene_unescape
from wildcli.exporters import csv_table, regexrules, skos, solr

texts = st.text(min_size=1, max_size=40)


@given(texts)
@example("a\u00a0b")
@example("a\vb")
@example(" x\f\ty ")
def test_regex_literal_matches_itself_in_re2_and_python(text: str) -> None:
    if regexrules.check(text) is not None or not text.strip():
        return
    pattern = regexrules.FLAGS + regexrules.literal(text)
    assert re2.compile(pattern).search(text)
    assert re.compile(pattern).search(text)


@given(st.lists(texts, min_size=1, max_size=5))
def test_solr_entries_split_back(entries: list[str]) -> None:
    line = ", ".join(solr.escape(e) for e in entries)
    assert [lucene_unescape(e) for e in lucene_split(line, ",")] == [entries[0], *(" " + e for e in entries[1:])]
    assert len(lucene_split(line, "=>")) == 1
    assert not line.startswith("#")
    # What the simulation reads back: the entries Lucene keeps (trimmed, blank ones dropped).
    assert solr.split_rule(line + " => wildcli_x") == [e.strip() for e in entries if e.strip()]


@given(st.lists(texts, min_size=1, max_size=5))
def test_csv_fields_read_back(cells: list[str]) -> None:
    line = ",".join(csv_table.field(c) for c in cells) + "\r\n"
    assert next(csv.reader(io.StringIO(line, newline=""))) == cells


@settings(max_examples=60)
@given(texts, st.sampled_from(["en", "vi", "zh-Hans", "und"]))
def test_turtle_literals_parse_back(text: str, lang: str) -> None:
    doc = f"<urn:s> <urn:p> {skos.literal(text, lang)} ."
    value = next(iter(Graph().parse(data=doc, format="turtle").objects(URIRef("urn:s"), URIRef("urn:p"))))
    assert skos.language_literals(doc) == [text]
    # rdflib NFC-normalises nothing, so compare exactly (our exports are NFC already).
    assert value == Literal(text, lang=lang) or unicodedata.normalize("NFC", text) != text
