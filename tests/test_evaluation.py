"""`wildcli.quality.evaluation`: scores on hand-made records, reading labelled dumps, and the real tweet set."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import need_corpora
from wildcli.lexicon import load_lexicon
from wildcli.match.matcher import Matcher
from wildcli.quality.evaluation import Counts, evaluate, read_labeled
from wildcli.readers import ReadOptions, Record

# (text, label): the fixture lexicon blocks "elephant ivory", 象牙 and "ngà voi", reviews "ivory"
# near a carving word or selling phrase and "bovine bone", and has "cao hổ" for tiger parts.
ROWS = [
    ("Elephant ivory tusk, 2 kg", True),            # block
    ("Carved ivory bangle", True),                   # review
    ("Antique bovine bone netsuke", True),           # review
    ("Grandma's old box, see photos", True),         # miss: nothing to find
    ("Ivory colour sofa, dm for price", False),      # false positive (review)
    ("出售象牙 摆件", False),                          # false positive (block)
    ("Ivory Coast football shirt, for sale", False),  # excluded: a clean negative
    ("Road bike, 54 cm", False),
]


def records(rows: list[tuple[str, bool]]) -> list[Record]:
    return [Record("t.csv", i, f"r{i}", {"text": text}) for i, (text, _) in enumerate(rows, 1)]


def labels(rows: list[tuple[str, bool]]) -> dict[int, bool]:
    return {i: label for i, (_, label) in enumerate(rows, 1)}


def test_counts_ratios_and_empty_sets() -> None:
    c = Counts(tp=3, fp=1, fn=3, tn=5)
    assert (c.precision, c.recall) == (0.75, 0.5)
    assert c.f1 == pytest.approx(0.6)
    assert (Counts().precision, Counts().recall, Counts().f1) == (None, None, None)
    assert Counts(fn=2).f1 is None


def test_flagged_and_block_sets(fixture_matcher: Matcher) -> None:
    report = evaluate(records(ROWS), labels(ROWS), fixture_matcher)
    assert (report.records, report.positives, report.unlabelled) == (8, 4, 0)
    assert report.flagged == Counts(tp=3, fp=2, fn=1, tn=2)
    assert report.block == Counts(tp=1, fp=1, fn=3, tn=3)
    assert report.flagged.precision == pytest.approx(0.6)
    assert report.block.precision == pytest.approx(0.5)


def test_per_concept_and_per_term_scores(fixture_matcher: Matcher) -> None:
    report = evaluate(records(ROWS), labels(ROWS), fixture_matcher)
    (ivory,) = report.concepts
    assert ivory.concept == "ivory"
    assert (ivory.flagged.tp, ivory.flagged.fp, ivory.flagged.recall) == (3, 2, 0.75)
    assert (ivory.block.tp, ivory.block.fp) == (1, 1)
    scores = {(t.term, t.severity.value): (t.tp, t.fp, t.precision) for t in report.terms}
    assert scores == {
        ("ivory", "review"): (1, 1, 0.5),
        ("elephant ivory", "block"): (1, 0, 1.0),
        ("bovine bone", "review"): (1, 0, 1.0),
        ("象牙", "block"): (0, 1, 0.0),
    }


def test_misses_and_false_positives_carry_ids_and_evidence(fixture_matcher: Matcher) -> None:
    report = evaluate(records(ROWS), labels(ROWS), fixture_matcher)
    assert [(c.record, c.row, c.excerpt) for c in report.misses] == [
        ("r4", 4, "Grandma's old box, see photos")
    ]
    assert [(c.record, c.terms) for c in report.false_positives] == [
        ("r5", ("ivory:ivory",)), ("r6", ("ivory:象牙",))
    ]
    assert report.false_positives[0].excerpt == "text: [Ivory] colour sofa, dm for price"


def test_unlabelled_records_are_skipped(fixture_matcher: Matcher) -> None:
    partial = {k: v for k, v in labels(ROWS).items() if k != 1}
    report = evaluate(records(ROWS), partial, fixture_matcher)
    assert (report.records, report.unlabelled, report.block.tp) == (7, 1, 0)


def test_json_form_is_plain_data(fixture_matcher: Matcher) -> None:
    data = json.loads(json.dumps(evaluate(records(ROWS), labels(ROWS), fixture_matcher).to_dict()))
    assert data["format"] == "wildcli-eval/1"
    assert data["flagged"] == {"tp": 3, "fp": 2, "fn": 1, "tn": 2, "precision": 0.6, "recall": 0.75,
                               "f1": pytest.approx(2 * 0.6 * 0.75 / 1.35)}
    term = next(t for t in data["terms"] if t["term"] == "ivory")
    assert term == {"concept": "ivory", "term": "ivory", "lang": "en", "severity": "review",
                    "tp": 1, "fp": 1, "precision": 0.5}
    assert data["misses"][0]["record"] == "r4"


def test_read_labeled_keeps_the_label_out_of_the_scanned_text(tmp_path: Path) -> None:
    dump = tmp_path / "labelled.csv"
    dump.write_text(
        "post_id,title,description,label\n"
        "a,Carved ivory,old,1\n"
        "b,Bike,fast, 0\n"
        "c,Lamp,,\n"
        "d,Vase,blue,NA\n",
        "utf-8",
    )
    result = read_labeled(str(dump), "label", "1", ReadOptions(id_field="post_id"))
    assert result.fields == ("title", "description")
    assert [r.fields for r in result.records] == [
        {"title": "Carved ivory", "description": "old"},
        {"title": "Bike", "description": "fast"},
        {"title": "Lamp"},  # empty fields are not scanned
        {"title": "Vase", "description": "blue"},
    ]
    assert [r.id for r in result.records] == ["a", "b", "c", "d"]
    assert result.labels == {1: True, 2: False}
    chosen = read_labeled(str(dump), "label", "0", ReadOptions(fields=("title",)))
    assert chosen.fields == ("title",)
    assert chosen.labels == {1: False, 2: True}
    assert chosen.records[0].fields == {"title": "Carved ivory"}


# The real labelled set. Floors sit a little under the figures in lexicons/README.md, so that a
# lexicon change that loses precision or recall on real sales posts fails here.
TWEETS = "wlt_osn_ivory_tweets.csv"


def test_ivory_tweets_regression_floors() -> None:
    path = need_corpora() / TWEETS
    if not path.is_file():
        pytest.skip(f"{TWEETS} not found in {path.parent}")
    dump = read_labeled(str(path), "label", "1", ReadOptions(fields=("tweet_text_cleaned",)))
    report = evaluate(dump.records, dump.labels, Matcher(load_lexicon([], with_bundled=True)))
    assert (report.records, report.positives) == (8676, 255)
    assert (report.block.precision or 0) >= 0.9
    assert (report.flagged.recall or 0) >= 0.85
    assert (report.flagged.precision or 0) >= 0.78


def test_meta_is_kept_but_never_hides_a_score(fixture_matcher: Matcher) -> None:
    report = evaluate(records(ROWS), labels(ROWS), fixture_matcher)
    data = replace(report, meta={"input": "t.csv", "format": "x", "records": -1}).to_dict()
    assert list(data)[:2] == ["format", "input"]
    assert (data["format"], data["records"]) == ("wildcli-eval/1", 8)


def test_groups_score_each_value_apart(fixture_matcher: Matcher) -> None:
    # Rows 1-4 positive, 5-8 negative; the kinds cut across both classes.
    kind = {1: "plain", 2: "plain", 3: "code", 4: "code", 5: "colour", 6: "place", 7: "place"}
    report = evaluate(records(ROWS), labels(ROWS), fixture_matcher, {"kind": kind})
    scores = {g.value: g for g in report.groups}
    assert list(scores) == ["", "code", "colour", "place", "plain"]
    assert scores["plain"].flagged == Counts(tp=2)
    assert scores["plain"].block == Counts(tp=1, fn=1)
    assert (scores["code"].flagged.recall, scores["code"].positives) == (0.5, 2)
    assert scores["colour"].false_positive_rate == 1.0
    assert (scores["place"].false_positive_rate, scores["place"].flagged.recall) == (0.5, None)
    assert scores[""].records == 1  # row 8 has no kind
    data = report.to_dict()["groups"]
    assert data[1]["field"] == "kind"
    assert data[1]["flagged"]["recall"] == 0.5


def test_reports_without_groups_keep_their_shape(fixture_matcher: Matcher) -> None:
    assert "groups" not in evaluate(records(ROWS), labels(ROWS), fixture_matcher).to_dict()


def test_read_labeled_keeps_group_fields_out_of_the_scanned_text(tmp_path: Path) -> None:
    dump = tmp_path / "labelled.tsv"
    dump.write_text("title\tlabel\tlang\tfamily\nCarved ivory\t1\ten\tplain\n象牙白 衬衫\t0\tzh-Hans\tcolour\n", "utf-8")
    result = read_labeled(str(dump), "label", group_fields=("lang", "family"))
    assert result.fields == ("title",)
    assert [r.fields for r in result.records] == [{"title": "Carved ivory"}, {"title": "象牙白 衬衫"}]
    assert result.groups == {"lang": {1: "en", 2: "zh-Hans"}, "family": {1: "plain", 2: "colour"}}
    named = read_labeled(str(dump), "label", options=ReadOptions(fields=("title", "lang")), group_fields=("lang",))
    assert named.records[0].fields == {"title": "Carved ivory", "lang": "en"}  # asked for, so scanned



def test_a_group_field_no_record_has_is_reported_as_the_readers_report_fields(tmp_path: Path) -> None:
    dump = tmp_path / "labelled.jsonl"
    dump.write_text('{"title": "Carved ivory", "label": 1}\n', "utf-8")
    problems: list[str] = []
    read_labeled(str(dump), "label", group_fields=("lang",), on_error=lambda e: problems.append(str(e)))
    assert problems == [f"{dump}: field 'lang' not found in any record"]
