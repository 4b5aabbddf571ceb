"""Selling phrases as context: a term that needs context is judged by the phrases of its own
language (plus the language-neutral ones), and a phrase counts only where it holds on its own
terms; exports expand `@concept` context the same way."""

from __future__ import annotations

from wildcli.exporters.selection import ExportOptions, select_items
from wildcli.lexicon import Concept, Kind, Lexicon, Role, Severity, Status, Term
from wildcli.match.languages import evidence_for
from wildcli.match.matcher import Matcher


def _term(text: str, concept: str, lang: str, **kw: object) -> Term:
    severity = Severity.MONITOR if concept == "selling" else Severity.REVIEW
    return Term(text, concept, lang, Kind.NAME, severity, Status.APPROVED, **kw)  # type: ignore[arg-type]


LEXICON = Lexicon(
    concepts={
        "bird": Concept("bird", {"en": "bird"}, "", Severity.REVIEW),
        "selling": Concept("selling", {"en": "selling"}, "", Severity.MONITOR, Role.CONTEXT),
    },
    terms=(
        _term("chào mào", "bird", "vi", context=("@selling",)),
        _term("hill myna", "bird", "en", context=("@selling",)),
        _term("Gracula religiosa", "bird", "la", context=("@selling",)),
        # 'bay' sells a bird in Vietnamese slang, but mostly it flies: evidence only near a price.
        _term("bay", "selling", "vi", context=("giá", "ib"), exclude=("bay qua",)),
        _term("ib giá", "selling", "vi"),
        _term("for sale", "selling", "en"),
        _term("WhatsApp", "selling", "mul"),
        _term("se vende", "selling", "es-MX"),
    ),
)


def accepted(matcher: Matcher, text: str) -> list[str]:
    return [f.term for f in matcher.find(text)]


def test_phrases_of_another_language_are_no_evidence() -> None:
    matcher = Matcher(LEXICON)
    assert accepted(matcher, "chào mào for sale") == []
    assert accepted(matcher, "hill myna, ib giá") == []
    assert accepted(matcher, "chào mào, ib giá") == ["chào mào"]
    assert accepted(matcher, "hill myna for sale") == ["hill myna"]


def test_neutral_phrases_count_for_every_language_and_neutral_terms_take_every_phrase() -> None:
    matcher = Matcher(LEXICON)
    assert accepted(matcher, "chào mào, WhatsApp 0912") == ["chào mào"]
    assert accepted(matcher, "hill myna, WhatsApp 0912") == ["hill myna"]
    assert accepted(matcher, "Gracula religiosa, ib giá") == ["Gracula religiosa"]
    assert accepted(matcher, "Gracula religiosa se vende") == ["Gracula religiosa"]


def test_regions_and_scripts_of_one_language_share_their_phrases() -> None:
    assert evidence_for("es-MX", "es")
    assert evidence_for("zh-Hant", "zh-Hans")
    assert evidence_for("ja", "zh-Hans")  # 象牙 is one entry for both
    assert not evidence_for("ko", "zh-Hans")
    assert evidence_for("id", "ms")  # Indonesian and Malay: one macrolanguage, gading in both
    assert evidence_for("ms", "id")
    assert not evidence_for("id", "th")
    assert not evidence_for("vi", "en")
    assert evidence_for("mul", "th")
    assert evidence_for("th", "la")


def test_an_everyday_phrase_is_evidence_only_where_it_holds_on_its_own_terms() -> None:
    matcher = Matcher(LEXICON)
    assert accepted(matcher, "thấy con chim chào mào bay qua") == []
    assert accepted(matcher, "chào mào hót hay, bay cao") == []
    assert accepted(matcher, "chào mào bay giá 500k") == ["chào mào"]
    [decision] = [d for d in matcher.decide("chào mào bay cao") if d.term.term == "chào mào"]
    assert decision.reason == "no context word within the window"


def test_exports_expand_context_to_the_same_phrases() -> None:
    items = select_items(LEXICON, ExportOptions(include_contextual=True))
    context = {item.term.term: set(item.context) for item in items.items if item.context}
    # The Vietnamese term: its own phrases that are evidence alone, and the neutral ones; not
    # 'bay', whose own context a list cannot carry, nor the English or Spanish phrases.
    assert context["chào mào"] == {"ib giá", "WhatsApp"}
    assert context["hill myna"] == {"for sale", "WhatsApp"}
    assert context["Gracula religiosa"] == {"ib giá", "for sale", "WhatsApp", "se vende"}
    # With variants, a contextual term is also written next to each phrase that is its evidence.
    paired = select_items(LEXICON, ExportOptions(variants=True))
    written = {item.text for item in paired.items if item.term.term == "chào mào"}
    assert {"chào mào ib giá", "chào mào WhatsApp"} <= written
    assert not {"chào mào for sale", "chào mào bay"} & written
