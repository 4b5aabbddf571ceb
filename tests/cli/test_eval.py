"""`wildcli eval` end to end, on a small labelled CSV and the fixture lexicon."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE, run

ROWS = [
    ("t1", "Elephant ivory tusk, 2 kg", "dealer", "1"),
    ("t2", "Carved ivory bangle", "dealer", "1"),
    ("t3", "Grandma's old box, see photos", "carved ivory fan", "1"),
    ("t4", "Ivory colour sofa, dm for price", "", "0"),
    ("t5", "Road bike, 54 cm", "", "0"),
    ("t6", "Ivory Coast football shirt", "", ""),
]


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tweet_id", "tweet_text", "user_description", "label"])
        writer.writerows(ROWS)
    return path


def test_table_shows_totals_concepts_terms_and_cases(dump: Path) -> None:
    result = run("eval", str(dump), "--label-field", "label", "--fields", "tweet_text", *FIXTURE)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "Evaluated 5 labelled records (3 positive, 1 unlabelled); fields scanned: tweet_text\n"
    )
    assert "flagged        2      1      1      0.667   0.667   0.667" in out
    assert "block          1      0      2      1.000   0.333   0.500" in out
    assert "Misses (positives without a block/review finding): 1" in out
    assert "  row 3 (id t3): Grandma's old box, see photos" in out
    assert "  row 4 (id t4) [ivory:ivory]: tweet_text: [Ivory] colour sofa, dm for price" in out


def test_json_report_saved_to_a_file(dump: Path, tmp_path: Path) -> None:
    target = tmp_path / "eval.json"
    result = run(
        "eval", str(dump), "--label-field", "label", "--fields", "tweet_text",
        "--format", "json", "--output", str(target), *FIXTURE,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(target.read_text("utf-8"))
    assert data["format"] == "wildcli-eval/1"
    assert (data["records"], data["positives"], data["unlabelled"]) == (5, 3, 1)
    assert data["fields"] == ["tweet_text"]
    assert data["label_field"] == "label"
    assert data["lexicon"]["digest"]
    terms = {t["term"]: (t["tp"], t["fp"], t["precision"]) for t in data["terms"]}
    assert terms == {"elephant ivory": (1, 0, 1.0), "ivory": (1, 1, 0.5)}
    assert [c["record"] for c in data["false_positives"]] == ["t4"]


def test_default_fields_include_every_text_column(dump: Path) -> None:
    # Without --fields the user description is scanned too, and it rescues the miss t3.
    result = run("eval", str(dump), "--label-field", "label", "--format", "json", *FIXTURE)
    data = json.loads(result.stdout)
    assert data["fields"] == ["tweet_text", "user_description"]
    assert data["flagged"]["tp"] == 3
    assert data["misses"] == []


def test_other_positive_value_swaps_the_classes(dump: Path) -> None:
    result = run("eval", str(dump), "--label-field", "label", "--positive", "0", "--format", "json",
                 "--fields", "tweet_text", *FIXTURE)
    data = json.loads(result.stdout)
    assert data["positives"] == 2
    assert (data["flagged"]["tp"], data["flagged"]["fp"]) == (1, 2)


def test_missing_label_field_is_a_data_error(dump: Path) -> None:
    result = run("eval", str(dump), "--label-field", "verdict", *FIXTURE)
    assert result.exit_code == 65
    assert "verdict" in result.stderr
    assert result.stderr.strip().endswith("error: no record has a value in the label field 'verdict'")


def test_missing_input_exits_66(tmp_path: Path) -> None:
    result = run("eval", str(tmp_path / "nope.csv"), "--label-field", "label", *FIXTURE)
    assert result.exit_code == 66
    assert "nope.csv" in result.stderr


def test_label_field_is_required(dump: Path) -> None:
    result = run("eval", str(dump), *FIXTURE)
    assert result.exit_code == 2


def test_concept_filter_scores_only_those_concepts(dump: Path) -> None:
    result = run("eval", str(dump), "--label-field", "label", "--fields", "tweet_text",
                 "--concept", "tiger_parts", "--format", "json", *FIXTURE)
    data = json.loads(result.stdout)
    assert data["concept_filter"] == ["tiger_parts"]
    assert data["concepts"] == []
    assert data["flagged"]["tp"] == data["flagged"]["fp"] == 0
    assert data["terms"] == []
    unknown = run("eval", str(dump), "--label-field", "label", "--concept", "unicorn", *FIXTURE)
    assert unknown.exit_code == 2
    assert "unknown concept 'unicorn'" in unknown.stderr


def test_stdin_needs_explicit_fields(dump: Path) -> None:
    text = dump.read_text("utf-8")
    result = run("eval", "-", "--label-field", "label", *FIXTURE, input=text)
    assert result.exit_code == 2
    assert "stdin needs explicit fields" in result.stderr
    piped = run("eval", "-", "--label-field", "label", "--fields", "tweet_text", "--format", "json",
                "--input-format", "csv", *FIXTURE, input=text)
    assert piped.exit_code == 0, piped.stderr
    assert json.loads(piped.stdout)["positives"] == 3


def test_term_columns_line_up_after_chinese_and_vietnamese(tmp_path: Path) -> None:
    import unicodedata

    path = tmp_path / "cjk.csv"
    path.write_text("id,text,label\nc1,出售象牙手镯,1\nc2,vòng ngà voi thật,1\nc3,carved ivory fan,1\n", "utf-8")
    result = run("eval", str(path), "--label-field", "label", "--fields", "text", *FIXTURE)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    top = lines.index("Top 3 of 3 terms by records matched (all severities)")
    rows = lines[top + 1 : top + 5]
    assert [row.split()[-5] for row in rows] == ["lang", "en", "vi", "zh-Hans"]

    def cells(text: str) -> int:  # what a terminal shows, worked out apart from the code under test
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    # The language column starts at the same screen column on the header and on every row.
    starts = {cells(row[: row.index(" " + row.split()[-5] + " ") + 1]) for row in rows}
    assert starts == {50}, rows


def test_by_adds_a_table_per_group_field(tmp_path: Path) -> None:
    path = tmp_path / "grouped.csv"
    path.write_text(
        "id,title,label,lang,family\n"
        "a,Elephant ivory tusk,1,en,plain\n"
        "b,Grandma's old box,1,en,disguised\n"
        "c,出售象牙 摆件,0,zh-Hans,news\n"
        "d,Road bike,0,zh-Hans,other\n",
        "utf-8",
    )
    result = run("eval", str(path), "--label-field", "label", "--by", "lang,family", *FIXTURE)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "fields scanned: title\n" in out  # the group fields are not scanned
    assert "Per lang (flagged = block or review; fp rate = share of its negatives flagged)\n" in out
    assert "en                   2     2     1     0     1      1.000   0.500        -         0.500\n" in out
    assert "zh-Hans              2     0     0     1     0      0.000       -    0.500             -\n" in out
    assert "disguised            1     1     0     0     1          -   0.000        -         0.000\n" in out
    saved = run("eval", str(path), "--label-field", "label", "--by", "family", "--format", "json", *FIXTURE)
    data = json.loads(saved.stdout)
    assert data["by"] == ["family"]
    assert [(g["value"], g["false_positive_rate"]) for g in data["groups"]] == [
        ("disguised", None), ("news", 1.0), ("other", 0.0), ("plain", None)
    ]
