"""Each target's documented semantics, applied to an export read back from its rendered files."""

from __future__ import annotations

import pytest

from wildcli.exporters import ExportFormat, MatchType, RenderOptions
from wildcli.exporters.selection import ExportOptions, render_export
from wildcli.lexicon import Concept, Kind, Lexicon, Role, Severity, Status, Term
from wildcli.lexicon.actions import Action
from wildcli.simulation import load_applier

KEY = b"simulation-test-key"


def term(text: str, concept: str, lang: str = "en", severity: Severity = Severity.BLOCK, **extra: object) -> Term:
    return Term(text, concept, lang, Kind.NAME, severity, Status.APPROVED, **extra)  # type: ignore[arg-type]


LEXICON = Lexicon(
    concepts={
        "ivory": Concept("ivory", {"en": "ivory"}, "", Severity.REVIEW),
        "rhino_horn": Concept("rhino_horn", {"en": "rhino horn"}, "", Severity.BLOCK),
        "trade_context": Concept("trade_context", {"en": "selling phrase"}, "", Severity.MONITOR, Role.CONTEXT),
    },
    terms=(
        term("rhino horn", "rhino_horn"),
        term("犀牛角", "rhino_horn", "zh-Hans"),
        term("象牙", "ivory", "zh-Hans", exclude=("象牙白",)),
        term("ngà voi", "ivory", "vi"),
        term("elfenbein", "ivory", "de", Severity.REVIEW),
        term("bovine bone", "ivory", severity=Severity.REVIEW, exclude=("broth",)),
        term("white gold", "ivory", severity=Severity.REVIEW, context=("@trade_context", "tusk")),
        term("dm for price", "trade_context", severity=Severity.MONITOR),
    ),
)


def applier(fmt: ExportFormat, **options: object):  # type: ignore[no-untyped-def]
    render = RenderOptions(hmac_key=KEY, **options.pop("render", {}))  # type: ignore[arg-type]
    result = render_export(LEXICON, fmt, ExportOptions(render=render, **options))  # type: ignore[arg-type]
    return load_applier(result, KEY)


LIST_FORMATS = [
    ExportFormat.TXT, ExportFormat.COMMA_LIST, ExportFormat.SOLR_SYNONYMS, ExportFormat.ES_SYNONYMS_API,
    ExportFormat.SKOS,
]


@pytest.mark.parametrize("fmt", LIST_FORMATS)
def test_phrase_lists_match_whole_words_after_nfkc_and_case_folding(fmt: ExportFormat) -> None:
    apply = applier(fmt).apply
    assert apply("RHINO HORN cup").action is Action.BLOCK
    assert apply("ｒｈｉｎｏ ｈｏｒｎ").action is Action.BLOCK  # full-width letters: NFKC
    assert apply("rhino   horn").action is Action.BLOCK  # white space runs are one space
    assert apply("rhino hornbill").action is Action.ALLOW  # not a whole word
    assert apply("mua 犀牛角杯").action is Action.BLOCK  # Han: anywhere
    assert apply("Elfenbein Figur").action is Action.WARN  # review: the warn list
    assert apply("ngà voi").action is Action.BLOCK
    assert apply("Ngày voi").action is Action.ALLOW


def test_txt_allow_list_cancels_the_matches_it_covers() -> None:
    apply = applier(ExportFormat.TXT).apply
    assert apply("象牙手镯").action is Action.BLOCK
    assert apply("象牙白窗帘").action is Action.ALLOW
    # An allow-list phrase cancels only the occurrence inside it, not another one nearby.
    assert apply("象牙白 象牙手镯").action is Action.BLOCK


@pytest.mark.parametrize("fmt", [f for f in LIST_FORMATS if f is not ExportFormat.TXT])
def test_lists_without_an_allow_list_leave_out_terms_that_need_one(fmt: ExportFormat) -> None:
    apply = applier(fmt).apply
    assert apply("象牙白窗帘").action is Action.ALLOW
    assert apply("象牙手镯").action is Action.ALLOW  # left out, never flattened


def test_stopwords_match_single_tokens() -> None:
    apply = applier(ExportFormat.STOPWORDS).apply
    assert apply("Elfenbein Figur").action is Action.WARN
    assert apply("rhino horn").action is Action.ALLOW  # a phrase cannot be a stop word


@pytest.mark.parametrize("fmt", [ExportFormat.GOOGLE_ADS, ExportFormat.MICROSOFT_ADS])
def test_ad_negatives_phrase_and_exact(fmt: ExportFormat) -> None:
    phrase = applier(fmt).apply
    assert phrase("buy rhino horn online").action is Action.BLOCK  # the words in order, others around
    assert phrase("horn rhino").action is Action.ALLOW
    assert phrase("rhino-horn").action is Action.BLOCK  # "-" and "." act as spaces
    assert phrase("nga voi").action is Action.ALLOW  # accents count: no close variants
    exact = applier(fmt, render={"match_type": MatchType.EXACT}).apply
    assert exact("rhino horn").action is Action.BLOCK
    assert exact("Rhino Horn").action is Action.BLOCK
    assert exact("buy rhino horn").action is Action.ALLOW  # exact: nothing else in the query


def test_azure_items_match_as_substrings() -> None:
    apply = applier(ExportFormat.AZURE_BLOCKLIST).apply
    assert apply("rhino hornbill").action is Action.BLOCK  # inside a word too
    assert apply("ＥＬＦＥＮＢＥＩＮ").action is Action.WARN


@pytest.mark.parametrize("fmt", [ExportFormat.JSON, ExportFormat.JSONL, ExportFormat.CSV])
def test_rule_semantics(fmt: ExportFormat) -> None:
    apply = applier(fmt, include_contextual=True).apply
    assert apply("bovine bone carving").action is Action.WARN
    assert apply("bovine bone broth").action is Action.ALLOW  # an exclusion within the window
    assert apply("bovine bone" + " filler" * 20 + " broth").action is Action.WARN  # beyond it
    assert apply("white gold ring").action is Action.ALLOW  # no context word
    assert apply("white gold, dm for price").action is Action.WARN  # concept reference, expanded
    assert apply("tusk of white gold").action is Action.WARN  # context before the term
    assert apply("white gold" + " filler" * 20 + " tusk").action is Action.ALLOW
    assert apply("象牙白").action is Action.ALLOW
    fired = apply("rhino horn and 象牙").fired
    assert {(f.entry, f.action, f.concept) for f in fired} == {
        ("rhino horn", Action.BLOCK, "rhino_horn"), ("象牙", Action.BLOCK, "ivory")}


def test_rules_formats_leave_contextual_terms_out_by_default() -> None:
    assert applier(ExportFormat.JSONL).apply("white gold, dm for price").action is Action.ALLOW


def test_regex_rules_apply_with_re2() -> None:
    apply = applier(ExportFormat.REGEX, include_contextual=True, render={"max_pattern_chars": 4000}).apply
    assert apply("buy rhino horn").action is Action.BLOCK
    assert apply("rhino hornbill").action is Action.ALLOW
    assert apply("bovine bone broth").action is Action.ALLOW
    assert apply("white gold, dm for price").action is Action.WARN
    assert apply("white gold ring").action is Action.ALLOW
    # RE2 sees the text as it comes: full-width letters are not folded, unlike the phrase lists.
    assert apply("ｒｈｉｎｏ ｈｏｒｎ").action is Action.ALLOW


def test_hashed_lists_hash_runs_of_words_and_honour_allow_rows() -> None:
    apply = applier(ExportFormat.HASHED).apply
    assert apply("Rhino Horn cup").action is Action.BLOCK
    assert apply("rhino hornbill").action is Action.ALLOW
    assert apply("象牙手镯").action is Action.BLOCK
    assert apply("象牙白").action is Action.ALLOW
    with pytest.raises(Exception, match="needs its HMAC key"):
        load_applier(render_export(LEXICON, ExportFormat.HASHED, ExportOptions(render=RenderOptions(hmac_key=KEY))))


def test_regex_rules_give_the_same_answers_when_re2_cannot_build_one_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules too many for one RE2 set (long context lists) are tested one pattern at a time."""
    import re2

    texts = ["buy rhino horn", "rhino hornbill", "bovine bone broth", "white gold, dm for price", "white gold ring"]
    result = render_export(LEXICON, ExportFormat.REGEX, ExportOptions(
        include_contextual=True, render=RenderOptions(max_pattern_chars=4000)))
    with_set = [load_applier(result).apply(t) for t in texts]

    class Unbuildable:
        def __init__(self, options: object) -> None: ...

        def Add(self, pattern: str) -> int:
            raise re2.error("failed to compile Set")

    monkeypatch.setattr(re2.Set, "SearchSet", Unbuildable)
    assert [load_applier(result).apply(t) for t in texts] == with_set
    assert [v.action for v in with_set] == [Action.BLOCK, Action.ALLOW, Action.ALLOW, Action.WARN, Action.ALLOW]


def test_rules_exports_read_exclusions_in_every_spelling_the_matcher_reads() -> None:
    """An exclusion is also carried unaccented and in the other Chinese script, as the matcher
    reads it: the rule semantics and wildcli agree on both."""
    from wildcli.match.matcher import Matcher

    lexicon = Lexicon(
        concepts={"hornbill_casque": Concept("hornbill_casque", {"zh-Hans": "鹤顶红"}, "", Severity.BLOCK),
                  "ivory": Concept("ivory", {"fr": "ivoire"}, "", Severity.REVIEW)},
        terms=(term("鹤顶红", "hornbill_casque", "zh-Hans", exclude=("颜色",)),
               term("ivoire", "ivory", "fr", Severity.REVIEW, exclude=("côte d'ivoire",))),
    )
    apply = load_applier(render_export(lexicon, ExportFormat.JSONL)).apply
    matcher = Matcher(lexicon)
    for text, action in (("鹤顶红 颜色", Action.ALLOW), ("鹤顶红 顏色", Action.ALLOW), ("鹤顶红 雕件", Action.BLOCK),
                         ("cote d'ivoire", Action.ALLOW), ("statuette ivoire", Action.WARN)):
        assert apply(text).action is action, text
        assert Action.strongest(f.action for f in matcher.find(text)) is action, text


def test_rule_semantics_read_an_exclusion_inside_the_term_as_part_of_it() -> None:
    # As the matcher judges: 'lamp' read within the disguised 'sk0ra lamp@r7a' is the term's own
    # letters; a 'lamp' beside it still cancels, and a context phrase inside still counts as ever.
    from wildcli.simulation.appliers import RuleRead, Rules

    rules = Rules([RuleRead("sk0ra lamp@r7a", Action.WARN, "big_cat_parts", exclude=("lamp",))])
    assert rules.apply("price sk0ra lamp@r7a").action is Action.WARN
    assert rules.apply("sk0ra lamp@r7a and a lamp").action is Action.ALLOW
