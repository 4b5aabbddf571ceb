"""The context concepts that cancel product terms of their language without an exclusion
(`Concept.cancels`): a denial right before a product name ("không phải ngà voi", lexicons/denials),
only there; a word for a fake right before or after one ("fake ivory", "ngà voi giả",
lexicons/fakes); a publication, ticket or campaign word anywhere in its window (lexicons/media);
and, in search queries only, a word for pictures or history (lexicons/information_searches)."""

from __future__ import annotations

from functools import cache

import pytest

from wildcli.lexicon import load_lexicon
from wildcli.lexicon.model import Cancels, Scope
from wildcli.match.matcher import Matcher


@cache
def matcher() -> Matcher:
    return Matcher(load_lexicon())


def concepts(text: str) -> set[str]:
    return {f.concept for f in matcher().find(text)}


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Vòng nhựa màu ngà, không phải ngà voi", "ivory"),
        ("Sisir tanduk kerbau asli. Bukan cula badak.", "rhino_horn"),
        ("กำไลเรซิ่น ไม่ใช่งาช้างจริง", "ivory"),
        ("牛角手镯，不是象牙", "ivory"),  # (resin would exclude it without the denial too)
        ("Mari stop konsumsi sirip hiu kering", "shark_fin"),
    ],
)
def test_a_denial_right_before_the_product_cancels_it(text: str, concept: str) -> None:
    assert concept not in concepts(text)
    # The same text without the denial is a finding: the denial is what cancels it.
    for phrase in ("không phải ", "Bukan ", "ไม่ใช่", "不是", "stop konsumsi "):
        text = text.replace(phrase, "")
    assert concept in concepts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vòng tay ngà voi thật, không phải hàng giả",  # denies the fake, not the ivory
        "ngà voi thật không phải giả",
        "không phải hàng giả, ngà voi thật",  # not directly before
        "bukan palsu, cula badak asli",
    ],
)
def test_a_denial_elsewhere_leaves_the_finding(text: str) -> None:
    assert concepts(text) & {"ivory", "rhino_horn"}


def test_a_denial_counts_only_for_a_term_of_its_own_language() -> None:
    # English 'not' says nothing about a Vietnamese name after it.
    assert "ivory" in concepts("Vòng resin, not ngà voi")
    assert "ivory" not in concepts("Vòng resin, không phải ngà voi")


def test_explain_names_the_denial() -> None:
    decisions = matcher().decide("Sisir tanduk kerbau. Bukan cula badak.")
    denied = [d for d in decisions if d.term.concept == "rhino_horn"]
    assert denied
    assert not denied[0].accepted
    assert "denied by 'Bukan'" in denied[0].reason


def test_the_flag_is_read_from_the_concept() -> None:
    lexicon = load_lexicon()
    assert lexicon.concepts["denials"].cancels is Cancels.BEFORE
    assert lexicon.concepts["fakes"].cancels is Cancels.BESIDE
    assert lexicon.concepts["media"].cancels is Cancels.NEAR
    assert lexicon.concepts["trade_context"].cancels is None


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Tạp chí môi trường, số đặc biệt về sừng tê giác", "rhino_horn"),
        ("Kaos kampanye tolak sirip hiu, ukuran L", "shark_fin"),
        ("环保杂志专题：犀牛角贸易禁令十年回顾", "rhino_horn"),
        ("Used wildlife magazine, issue on carved ivory netsuke", "ivory"),
    ],
)
def test_a_publication_or_campaign_word_near_the_product_cancels_it(text: str, concept: str) -> None:
    assert concept not in concepts(text)
    decisions = [d for d in matcher().decide(text) if d.term.concept == concept]
    assert decisions
    assert all("about the product, not an offer" in d.reason for d in decisions if not d.accepted)


def test_a_publication_word_out_of_the_window_or_of_another_language_leaves_the_offer() -> None:
    far = "Sừng tê giác thật, nguyên chiếc, có giấy tờ, giao hàng toàn quốc." + " hàng đẹp" * 20 + " tạp chí"
    assert "rhino_horn" in concepts(far)
    # A Spanish 'revista' says nothing about a Vietnamese offer next to it.
    assert "rhino_horn" in concepts("Sừng tê giác thật, bán gấp, revista")


def test_a_denial_before_a_term_denies_the_shorter_terms_of_its_concept_inside_it() -> None:
    # 'vi cá mập' (shark fin) is read inside 'súp vi cá mập' (shark fin soup): saying no to the
    # soup says no to the fin in its name, so neither is a finding.
    assert "shark_fin" not in concepts("nói không với súp vi cá mập")
    assert "shark_fin" in concepts("súp vi cá mập ngon")
    decisions = matcher().decide("nói không với súp vi cá mập")
    inner = [d for d in decisions if d.term.term == "vi cá mập"]
    assert inner
    assert not inner[0].accepted
    assert inner[0].reason == "denied by 'nói không với' just before 'súp vi cá mập', which holds it"
    # A denial before another concept's term leaves a term inside it alone.
    assert "shark_fin" in concepts("bán vi cá mập, không phải hàng giả")


def test_a_cancelling_word_cancels_only_where_its_own_exclusions_leave_it() -> None:
    # 生態 (ecology) cancels a product term near it; inside 生態養殖 (eco-farming) it is excluded,
    # and an excluded word cancels nothing.
    assert "pangolin" not in concepts("穿山甲 生態 森林")
    assert "pangolin" in concepts("生態養殖 穿山甲 出售")


def test_an_indonesian_denial_counts_for_a_malay_term() -> None:
    # 'gading' is a Malay entry, read in Indonesian listings: the Indonesian 'bukan' denies it.
    assert "ivory" in concepts("Jual gading asli, kirim cepat")
    assert "ivory" not in concepts("Jual gelang resin, bukan gading asli")


@pytest.mark.parametrize(
    ("text", "fake", "concept"),
    [
        ("Fake rhino horn cup, resin", "Fake ", "rhino_horn"),  # before, in English
        ("Vòng tay ngà voi giả bằng nhựa", " giả", "ivory"),  # after, in Vietnamese
        ("Cula badak palsu dari resin", " palsu", "rhino_horn"),
        ("Brazalete de marfil falso tallado", " falso", "ivory"),
    ],
)
def test_a_word_for_a_fake_right_beside_the_product_cancels_it(text: str, fake: str, concept: str) -> None:
    assert concept not in concepts(text)
    assert concept in concepts(text.replace(fake, " ").strip())
    side = "after" if text.index(fake) > 0 else "before"
    reasons = [d.reason for d in matcher().decide(text) if d.term.concept == concept and not d.accepted]
    assert any(f"denied by {fake.strip()!r} just {side}" in r for r in reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Rhino horn cup, real, not fake",  # not beside it
        "not fake ivory bangle",  # the fake word denied in turn
        "Cula badak asli, bukan palsu",
        "Vòng tay ngà voi thật, không phải hàng giả",
        "Sừng tê giác giá 5 triệu",  # giá (price) is not giả
        "Fake Rolex, ivory dial, real ivory bangle",  # beside another word
    ],
)
def test_a_word_for_a_fake_elsewhere_leaves_the_finding(text: str) -> None:
    assert concepts(text) & {"ivory", "rhino_horn"}


def test_an_english_fake_word_says_nothing_of_a_vietnamese_term() -> None:
    assert "ivory" in concepts("Vòng ngà voi fake")
    assert "ivory" not in concepts("Vòng ngà voi giả")


def test_a_word_named_as_an_exclusion_stands_down_where_its_own_exclusions_stand() -> None:
    # 'sunglasses' (everyday_goods) cancels the pattern sense of 'tortoiseshell' near it. Given an
    # exclusion of its own, it cancels nothing where that exclusion stands, as a cancelling word
    # with exclusions does ('生態' but '生態養殖').
    from dataclasses import replace

    lexicon = load_lexicon()
    text = "Antique tortoiseshell sunglasses, Victorian, for sale"
    assert "turtle_shell" not in {f.concept for f in Matcher(lexicon).find(text)}
    terms = tuple(
        replace(t, exclude=("victorian",)) if t.concept == "everyday_goods" and t.term == "sunglasses" else t
        for t in lexicon.terms
    )
    changed = Matcher(replace(lexicon, terms=terms, digest=f"{lexicon.digest}+sunglasses"))
    assert "turtle_shell" in {f.concept for f in changed.find(text)}
    assert "turtle_shell" not in {f.concept for f in changed.find("Tortoiseshell sunglasses, for sale")}


@pytest.mark.parametrize(
    ("text", "without"),
    [
        ("Réplica de marfil tallado, envío gratis", "Marfil tallado, envío gratis"),
        ("Replica of rhino horn for sale", "Rhino horn for sale"),
        ("Réplique de corne de rhinocéros à vendre", "Corne de rhinocéros à vendre"),
        ("Replica di avorio in vendita", "Avorio in vendita"),
        ("No es de marfil, vendo pulsera tallada", "Marfil, vendo pulsera tallada"),
    ],
)
def test_one_linking_word_may_stand_between_a_fake_or_denial_and_the_product(text: str, without: str) -> None:
    assert not concepts(text) & {"ivory", "rhino_horn"}
    assert concepts(without) & {"ivory", "rhino_horn"}


def test_a_linking_word_carries_a_fake_no_further_than_the_next_word() -> None:
    """"de" joins the fake word to the product right after it, not to one further on."""
    assert "ivory" in concepts("Réplica de caja con marfil tallado, vendo")
    assert "ivory" in concepts("Vendo marfil de elefante, réplica de caja")


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("象牙 写真", "ivory"),
        ("rhino horn pictures", "rhino_horn"),
        ("천산갑 사진", "pangolin"),
        ("穿山甲 图片", "pangolin"),
        ("ngà voi hình ảnh", "ivory"),
        ("Elfenbeinschnitzerei Geschichte", "ivory"),
    ],
)
def test_a_picture_or_history_word_cancels_in_a_search_query_only(text: str, concept: str) -> None:
    # lexicons/information_searches: sellers write the same words in offers ("real photos"),
    # so a listing keeps its finding and only a query is spared.
    assert concept in concepts(text)
    queries = matcher().for_queries()
    assert concept not in {f.concept for f in queries.find(text)}
    cancelled = [d for d in queries.decide(text) if d.term.concept == concept]
    assert cancelled
    assert all("about the product, not an offer" in d.reason for d in cancelled)


def test_a_query_matcher_is_built_once_on_the_same_keys() -> None:
    queries = matcher().for_queries()
    assert queries is matcher().for_queries()
    assert queries.for_queries() is queries
    assert queries.patterns is matcher().patterns
    assert queries.options.queries
    assert not matcher().options.queries
    assert lexicon_scope("information_searches") is Scope.QUERIES
    assert lexicon_scope("media") is Scope.ALL


def lexicon_scope(concept: str) -> Scope:
    return matcher().lexicon.concepts[concept].scope


def test_checking_queries_judges_them_as_queries_whatever_the_matcher() -> None:
    from wildcli.readers import Record
    from wildcli.scanning.queries import check_queries

    records = [Record("q", i, str(i), {"query": q}) for i, q in enumerate(["象牙 写真", "象牙 手镯"], 1)]
    actions = [r.action.value for r in check_queries(records, matcher())]
    assert actions[0] == "allow"
    assert actions[1] != "allow"


@pytest.mark.parametrize(("text", "concept"), [
    ("rhino horn for sale photos", "rhino_horn"),
    ("穿山甲 图片 出售", "pangolin"),
])
def test_a_picture_word_next_to_a_selling_phrase_spares_no_query(text: str, concept: str) -> None:
    # The concept excludes '@trade_context': a search that also says it wants to buy is a buyer's.
    assert concept in {f.concept for f in matcher().for_queries().find(text)}


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Peineta de carey auténtico, no es acetato, vendo", "turtle_shell"),
        ("genuine tortoiseshell comb, not acetate, for sale", "turtle_shell"),
        ("玳瑁手镯 非亚克力 天然老料 出售", "turtle_shell"),
    ],
)
def test_an_exclusion_right_after_a_denial_does_not_exclude(text: str, concept: str) -> None:
    """'not acetate' says what the object is not: the tortoiseshell stays an offer."""
    assert concept in concepts(text)
    for denial in ("no es ", "not ", "非"):
        text = text.replace(denial, "")
    assert concept not in concepts(text)  # the same material, undenied, excludes it
    decisions = [d for d in matcher().decide(text) if d.term.concept == concept]
    assert decisions
    assert "excluded by" in decisions[0].reason


def test_a_denied_campaign_phrase_still_excludes() -> None:
    """Only a word for another object (a material, an everyday good) is what the product is not;
    'does not save elephants' is about the trade all the same."""
    text = "Closing the antique ivory shops does not save elephants, the minister argued"
    assert "ivory" not in concepts(text)
    decisions = [d for d in matcher().decide(text) if d.term.concept == "ivory"]
    assert decisions
    assert all("excluded by 'save elephants'" in d.reason for d in decisions)
