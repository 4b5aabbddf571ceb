"""The filters: status, concept (and context concepts), language, kind, severity, variants."""

from __future__ import annotations

import unicodedata

import pytest

from tests.exporters.conftest import alone
from wildcli.errors import UsageError
from wildcli.exporters import ExportFormat, RenderOptions
from wildcli.exporters.selection import (
    CONTEXT_PHRASE,
    CONTEXTUAL,
    MONITOR_TIER,
    ExportOptions,
    feasibility_report,
    left_out_report,
    render_export,
    select_items,
)
from wildcli.lexicon import Kind, Lexicon, Severity, Status, Term


def texts(lexicon: Lexicon, **options: object) -> set[str]:
    return {i.text for i in select_items(lexicon, ExportOptions(**options)).items}  # type: ignore[arg-type]


def test_defaults_are_approved_product_terms_safe_to_act_on_alone(export_lexicon: Lexicon) -> None:
    chosen = texts(export_lexicon)
    assert "ivory" in chosen
    assert not chosen & {"ivory proposal", "old ivory word", "dm for price", "white gold tusk"}
    # No monitor term, no selling phrase, no term that needs a context word: each is reported.
    assert not chosen & {"@ivory_dealer", "pale gold"}
    excluded = {p.item.text: p.reason for p in select_items(export_lexicon, ExportOptions()).excluded if p.item}
    assert excluded == {"@ivory_dealer": MONITOR_TIER, "dm for price": CONTEXT_PHRASE, "pale gold": CONTEXTUAL}


def test_asking_for_them_lets_them_in(export_lexicon: Lexicon) -> None:
    assert "pale gold" in texts(export_lexicon, include_contextual=True)
    assert "@ivory_dealer" in texts(export_lexicon, min_severity=Severity.MONITOR)
    assert "dm for price" in texts(export_lexicon, concepts=frozenset({"trade_context"}), min_severity=Severity.MONITOR)


def test_status_filter(export_lexicon: Lexicon) -> None:
    assert texts(export_lexicon, statuses=frozenset({Status.PROPOSED})) == {"ivory proposal"}
    assert "old ivory word" in texts(export_lexicon, statuses=frozenset(Status))


def test_concept_filter_names_context_concepts_in(export_lexicon: Lexicon) -> None:
    assert texts(export_lexicon, concepts=frozenset({"trade_context"}), min_severity=Severity.MONITOR) == {"dm for price"}
    assert texts(export_lexicon, concepts=frozenset({"rhino_horn"})) == {
        "rhino horn", "rhino horns", "rhinoceros horn", "rhinoceros horns", "sừng tê giác", "🦏🔪"}
    with pytest.raises(UsageError, match="unknown concept 'nope'"):
        texts(export_lexicon, concepts=frozenset({"nope"}))


def test_lang_kind_and_severity_filters(export_lexicon: Lexicon) -> None:
    assert texts(export_lexicon, langs=frozenset({"vi"})) == {"ngà voi", "nga voi", "vòng ngà", "sừng tê giác"}
    assert texts(export_lexicon, kinds=frozenset({Kind.EMOJI})) == {"🦏🔪"}
    assert texts(export_lexicon, min_severity=Severity.BLOCK, langs=frozenset({"en"})) == {
        "elephant ivory", "elephant ivories", "rhino horn", "rhino horns", "rhinoceros horn", "rhinoceros horns"}


def test_terms_are_exported_nfc(export_lexicon: Lexicon) -> None:
    stored = next(t.term for t in export_lexicon.terms if t.note and "NFD" in t.note)
    assert not unicodedata.is_normalized("NFC", stored)
    assert unicodedata.normalize("NFC", stored) in texts(export_lexicon)


def test_items_are_sorted(export_lexicon: Lexicon) -> None:
    items = select_items(export_lexicon, ExportOptions()).items
    keys = [(i.concept, i.lang, i.text) for i in items]
    assert keys == sorted(keys)


def fake_variants(term: Term) -> list[tuple[str, str]]:
    folded = "".join(c for c in unicodedata.normalize("NFD", term.term) if not unicodedata.combining(c))
    return [(folded, "strip_diacritics"), (term.term, "identity"), (" ", "blank")]


def test_variants_are_added_with_their_rule(export_lexicon: Lexicon) -> None:
    options = ExportOptions(variants=True, langs=frozenset({"vi"}))
    items = select_items(export_lexicon, options, variants=fake_variants, judge=alone).items
    rules = {(i.text, i.rule) for i in items}
    assert ("sung te giac", "strip_diacritics") in rules
    # A variant equal to a curated term is not added twice, and blank variants are dropped.
    assert ("nga voi", None) in rules
    assert ("nga voi", "strip_diacritics") not in rules
    assert not any(text.strip() == "" or rule == "identity" for text, rule in rules)


def test_variants_carry_their_rule_in_jsonl_and_skos(export_lexicon: Lexicon) -> None:
    options = ExportOptions(variants=True, langs=frozenset({"vi"}))
    jsonl = render_export(export_lexicon, ExportFormat.JSONL, options, variants=fake_variants, judge=alone).texts()
    assert '"term": "sung te giac", "variant_of": "sừng tê giác", "variant_rule": "strip_diacritics"' in jsonl
    skos = render_export(export_lexicon, ExportFormat.SKOS, options, variants=fake_variants, judge=alone).texts()
    assert 'skos:hiddenLabel "sung te giac"@vi' in skos


def test_variants_are_judged_by_the_matcher(export_lexicon: Lexicon) -> None:
    """Only spellings that wildcli reads as the term are kept; a disguised spelling of a
    contextual term acts alone, as wildcli accepts it without a context word."""

    def spellings(term: Term) -> list[tuple[str, str]]:
        return [("p a l e  g o l d", "separator"), ("pallid gold", "made_up")] if term.term == "pale gold" else []

    items = {i.text: i for i in select_items(export_lexicon, ExportOptions(variants=True), variants=spellings).items}
    assert items["p a l e  g o l d"].context == ()
    assert "pallid gold" not in items
    assert "pale gold" not in items


def test_feasibility_report_counts_and_examples(export_lexicon: Lexicon) -> None:
    result = render_export(export_lexicon, ExportFormat.STOPWORDS)
    assert left_out_report(result)[0] == (
        "stopwords: 1 term left out: counts only next to a context word (--include-contextual puts it in json, "
        "jsonl, csv, regex and sql): 'pale gold' (ivory/en)")
    report = feasibility_report(result)
    phrases = next(line for line in report if "is a phrase" in line)
    assert phrases.startswith("stopwords: 19 terms left out: is a phrase (word files match single tokens only): ")
    assert phrases.endswith(", ...")
    assert phrases.count("(ivory/") == 3
    assert any("'ivory\\rcr' (ivory/en)" in line for line in report)


def test_hashed_refuses_without_a_key(export_lexicon: Lexicon) -> None:
    with pytest.raises(UsageError, match="needs an HMAC key"):
        render_export(export_lexicon, ExportFormat.HASHED, ExportOptions(render=RenderOptions(hmac_key=b"")))


def test_manifest_options_never_hold_the_key() -> None:
    options = ExportOptions(render=RenderOptions(hmac_key=b"secret-key"))
    data = options.to_dict()
    assert "secret-key" not in repr(data)
    assert "secret-key" not in repr(options)
    assert len(data["hmac_key_id"]) == 16


def test_concept_references_in_exclusions_are_expanded() -> None:
    from wildcli.lexicon import Concept, Role

    lexicon = Lexicon(
        concepts={
            "ivory": Concept("ivory", {"fr": "ivoire"}, "", Severity.REVIEW),
            "goods": Concept("goods", {"fr": "biens"}, "", Severity.MONITOR, Role.CONTEXT),
        },
        terms=(
            Term("ivoire", "ivory", "fr", Kind.NAME, Severity.REVIEW, Status.APPROVED, exclude=("@goods", "côte d'ivoire")),
            Term("tapis", "goods", "fr", Kind.NAME, Severity.MONITOR, Status.APPROVED),
        ),
    )
    [item, plural_item] = select_items(lexicon, ExportOptions()).items
    assert (plural_item.text, plural_item.rule, plural_item.exclude) == ("ivoires", "plural", item.exclude)
    # Unaccented spellings too, as the matcher reads them; the country contains the term (an allow-list entry).
    assert item.exclude == ("cote d'ivoire", "côte d'ivoire", "tapis")
    assert item.allow == ("cote d'ivoire", "côte d'ivoire")


def test_contextual_terms_are_written_next_to_their_context_phrases(export_lexicon: Lexicon) -> None:
    """With --variants, "pale gold tusk" is kept as a phrase of its own: wildcli accepts it with
    nothing else near it, so acting on it alone is its judgement, not a flattening of it."""
    items = select_items(export_lexicon, ExportOptions(variants=True), variants=lambda term: []).items
    paired = {i.text: i for i in items if i.rule == "with_context"}
    assert set(paired) == {"pale gold tusk", "tusk pale gold", "pale gold dm for price", "dm for price pale gold"}
    assert all(i.context == () and i.action.value == "warn" for i in paired.values())
    assert "pale gold" not in {i.text for i in items}


def test_an_exception_the_format_cannot_write_leaves_its_term_out() -> None:
    """Blocking "ivory" without its exception would flatten the term: it is left out instead."""
    from wildcli.lexicon import Concept

    lexicon = Lexicon(
        concepts={"ivory": Concept("ivory", {"en": "ivory"}, "", Severity.BLOCK)},
        terms=(Term("ivory", "ivory", "en", Kind.NAME, Severity.BLOCK, Status.APPROVED, exclude=("ivory\ncoast",)),
               Term("tusk", "ivory", "en", Kind.NAME, Severity.BLOCK, Status.APPROVED)),
    )
    result = render_export(lexicon, ExportFormat.TXT)
    assert result.texts("block") == "tusk\ntusks\n"  # with its plural, a line of its own
    assert result.texts("allow") == ""
    assert [(p.reason, p.item.text) for p in result.problems if p.item] == [
        ("has exclusions near it, which txt cannot carry (json, jsonl, csv, regex and sql can)", "ivories"),
        ("has an exception that the format cannot write", "ivory")]
