"""Code words that offer wildlife without naming it (`Concept.counts_as`): a finding where two
different ones stand together, a selling word next to a product term wherever one stands, and
the same judgement in `find`, `find_many`, lint and the exports that carry rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wildcli.exporters import ExportFormat
from wildcli.exporters.selection import ExportOptions, render_export
from wildcli.lexicon import LexiconProblems, load_lexicon
from wildcli.lexicon.model import Lexicon
from wildcli.lexicon.validation import lint_lexicon
from wildcli.match.matcher import MIN_BATCH, Matcher, MatchOptions

SOURCE = """    sources:
      - title: Fixture source
        kind: news
        url: https://example.org/a
        year: 2024
        quote_missing: true
    added: "2026-12-08"
"""


def _term(term: str, *, context: str = "", exclude: str = "", example: str = "", counter: str = "") -> str:
    lines = [f"  - term: {term}", "    kind: code_word", "    status: approved", SOURCE.rstrip("\n")]
    if context:
        lines.append(f"    context: {context}")
    if exclude:
        lines.append(f"    exclude: {exclude}")
    if example:
        lines += ["    examples:", f'      - "{example}"']
    if counter:
        lines += ["    counter_examples:", f'      - "{counter}"']
    return "\n".join(lines) + "\n"


def _concept(root: Path, concept: str, head: str, files: dict[str, str]) -> None:
    folder = root / concept
    folder.mkdir(parents=True)
    (folder / "concept.yaml").write_text(f"id: {concept}\n{head}description: Fixture.\n", "utf-8")
    for lang, terms in files.items():
        (folder / f"{lang}.yaml").write_text("terms:\n" + terms, "utf-8")


CODE = '["@unnamed_wildlife"]'


def write_lexicon(root: Path, *, counts_as: str = "[trade_context]") -> Path:
    _concept(root, "trade_context", "role: context\nseverity: monitor\nlabels:\n  en: selling phrase\n", {
        "en": _term("for sale", example="carved netsuke for sale"),
    })
    _concept(root, "media", "role: context\ncancels: near\nseverity: monitor\nlabels:\n  vi: báo\n", {
        "vi": _term("phóng sự", example="phóng sự về hàng rừng"),
    })
    _concept(root, "ivory", "severity: review\nlabels:\n  en: ivory\n  vi: ngà voi\n", {
        "en": _term("ivory", context='["@trade_context"]', example="ivory netsuke for sale"),
        "vi": _term("ngà voi", context='["@trade_context"]', example="ngà voi hàng bổi"),
    })
    _concept(root, "unnamed_wildlife", f"severity: review\ncounts_as: {counts_as}\n"
             "labels:\n  es-MX: fauna silvestre\n  vi: hàng rừng\n", {
        "vi": _term("hàng bổi", context=CODE, example="hàng bổi, hàng rừng") + _term(
            "hàng rừng", context=CODE, exclude='["mật ong"]', example="hàng rừng, hàng bổi",
            counter="hàng rừng, hàng rừng"),
        "es-MX": _term("linaje cerrado", context=CODE, example="linaje cerrado, ejemplar exclusivo")
        + _term("ejemplar exclusivo", context=CODE, example="ejemplar exclusivo de linaje cerrado"),
    })
    return root


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    return load_lexicon([write_lexicon(tmp_path_factory.mktemp("lex"))])


@pytest.fixture(scope="module")
def matcher(lexicon: Lexicon) -> Matcher:
    return Matcher(lexicon)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return sorted((f.concept, f.matched) for f in matcher.find(text))


def test_two_different_code_words_make_a_finding_each(matcher: Matcher) -> None:
    assert found(matcher, "Hàng bổi về 3 con, hàng rừng chuẩn") == [
        ("unnamed_wildlife", "Hàng bổi"), ("unnamed_wildlife", "hàng rừng")]
    assert found(matcher, "Ejemplar exclusivo, linaje cerrado") == [
        ("unnamed_wildlife", "Ejemplar exclusivo"), ("unnamed_wildlife", "linaje cerrado")]


@pytest.mark.parametrize("text", [
    "Hàng bổi về 3 con, ai lấy nhắn",  # one code word
    "Hàng rừng tươi, hàng rừng khô",  # the same one twice
    "hàng bổi, linaje cerrado",  # two languages: neither speaks for the other
    "hàng bổi" + " x" * 80 + " hàng rừng",  # out of each other's window
])
def test_one_code_word_is_no_finding(matcher: Matcher, text: str) -> None:
    assert found(matcher, text) == []


def test_an_excluded_code_word_corroborates_nothing(matcher: Matcher) -> None:
    assert found(matcher, "hàng bổi, hàng rừng") != []
    assert found(matcher, "hàng bổi, mật ong hàng rừng") == []


def test_a_code_word_is_a_selling_word_next_to_a_product(matcher: Matcher) -> None:
    # 'ngà voi' needs a selling word; a code word alone serves, and is no finding itself.
    assert found(matcher, "ngà voi hàng bổi") == [("ivory", "ngà voi")]
    assert found(matcher, "ngà voi chạm khắc") == []
    # An excluded code word is no selling word either.
    assert found(matcher, "ngà voi, mật ong hàng rừng") == []


def test_a_code_word_finding_is_cancelled_as_a_product_term_is(matcher: Matcher) -> None:
    assert found(matcher, "phóng sự: hàng bổi và hàng rừng") == []
    decisions = {d.matched: d for d in matcher.decide("phóng sự: hàng bổi và hàng rừng")}
    assert "about the product, not an offer" in decisions["hàng bổi"].reason


def test_without_counts_as_a_code_word_sells_nothing(tmp_path: Path) -> None:
    matcher = Matcher(load_lexicon([write_lexicon(tmp_path, counts_as="[]")]))
    assert found(matcher, "ngà voi hàng bổi") == []
    assert found(matcher, "hàng bổi, hàng rừng") != []


def test_the_batch_stage_agrees(matcher: Matcher) -> None:
    texts = [
        "Hàng bổi về 3 con, hàng rừng chuẩn", "Hàng rừng tươi, hàng rừng khô", "ngà voi hàng bổi",
        "hàng bổi, mật ong hàng rừng", "Ejemplar exclusivo, linaje cerrado", "hàng bổi, linaje cerrado",
        "phóng sự: hàng bổi và hàng rừng", "ngà voi chạm khắc",
    ]
    batch = [*texts, *(f"filler listing number {i}" for i in range(MIN_BATCH))]
    assert matcher.find_many(batch)[: len(texts)] == [matcher.find(t) for t in texts]
    assert any(matcher.find(t) for t in texts)


def test_the_batch_stage_sees_a_code_word_as_a_selling_word(lexicon: Lexicon) -> None:
    """Reporting ivory only, the code word is no finding the batch test looks for: the text is a
    candidate only because the code word counts as the selling word 'ngà voi' needs."""
    matcher = Matcher(lexicon, MatchOptions(concepts=frozenset({"ivory"})))
    batch = ["ngà voi hàng bổi", *(f"filler listing number {i}" for i in range(MIN_BATCH))]
    assert [f.matched for f in matcher.find_many(batch)[0]] == ["ngà voi"]


def test_lint_accepts_the_fixture_and_refuses_a_product_counted_as(tmp_path: Path) -> None:
    def problems(root: Path) -> list[str]:
        # The fixture files are written without the canonical layout, which lint would report.
        return [str(p) for p in lint_lexicon([root]) if p.rule_id not in {"WL008", "WL009", "WL010"}]

    assert problems(write_lexicon(tmp_path / "good")) == []
    bad = problems(write_lexicon(tmp_path / "bad", counts_as="[ivory]"))
    assert any("'ivory' names no context concept of the lexicon" in p and "[WL013]" in p for p in bad)


def test_a_context_concept_cannot_count_as_another(tmp_path: Path) -> None:
    root = write_lexicon(tmp_path)
    path = root / "media" / "concept.yaml"
    path.write_text(path.read_text("utf-8") + "counts_as: [trade_context]\n", "utf-8")
    with pytest.raises(LexiconProblems, match="only a product concept's terms can count as"):
        load_lexicon([root])


def test_rules_exports_carry_the_second_code_word_and_the_selling_word(lexicon: Lexicon) -> None:
    text = render_export(lexicon, ExportFormat.JSONL, ExportOptions(include_contextual=True)).parts[0].text
    items = {(r["lang"], r["term"]): r for r in map(json.loads, text.splitlines())}
    # A code word's context: the other code words of its language, never itself.
    assert items[("vi", "hàng bổi")]["context"] == ["hàng rừng"]
    assert items[("es-MX", "linaje cerrado")]["context"] == ["ejemplar exclusivo"]
    # A product term's selling words: the code words of its language among them.
    assert {"hàng bổi", "hàng rừng"} <= set(items[("vi", "ngà voi")]["context"])
