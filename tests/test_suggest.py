"""Term discovery on synthetic dumps with a planted code word, and on the WLT-OSN tweets."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from tests.conftest import VALID_LEXICON, need_corpora
from wildcli.discovery.proposals import write_proposals
from wildcli.discovery.suggestion import SuggestOptions, suggest
from wildcli.discovery.termcounts import GramCounts, Group, count_grams
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record, read_records
from wildcli.text.tokenize import grams

KNOWN = ["elephant ivory", "bovine bone", "ngà voi", "象牙"]
ITEMS = ["bracelet", "bangle", "pendant", "beads", "figurine", "chopsticks", "comb", "ring"]
ADJECTIVES = ["vintage", "polished", "heavy", "small", "large", "handmade", "old", "rare"]
FILLERS = [
    "free shipping", "great condition", "ships fast", "gift box included", "pickup in town",
    "limited stock", "price negotiable", "see photos", "cash only", "no returns",
]
MATERIALS = ["jade", "wooden", "silver", "glass", "resin", "ceramic", "bamboo", "brass"]


def synthetic_listings(planted: str, *, seed: int = 7, positives: int = 120, negatives: int = 280) -> list[Record]:
    """Listings with known terms (positives) and without; `planted` in ~30% of positives and
    ~1% of the others. Two real correlates ("antique", "hand carved") compete with it."""
    rng = random.Random(seed)
    records = []
    for i in range(positives + negatives):
        positive = i < positives
        head = rng.choice(KNOWN) if positive else rng.choice(MATERIALS)
        words = [rng.choice(ADJECTIVES), head, rng.choice(ITEMS)]
        if rng.random() < (0.5 if positive else 0.1):
            words.insert(0, "antique")
        if rng.random() < (0.4 if positive else 0.08):
            words.append("hand carved")
        if rng.random() < (0.3 if positive else 0.01):
            words.insert(rng.randrange(len(words) + 1), planted)
        description = ", ".join(rng.sample(FILLERS, 2))
        records.append(Record("synthetic", i + 1, f"S{i + 1:03d}", {"title": " ".join(words), "description": description}))
    rng.shuffle(records)
    return records


def rank_of(term: str, lexicon: Lexicon, records: list[Record]) -> int:
    candidates = suggest(records, Matcher(lexicon), SuggestOptions(top=20))
    return [c.term for c in candidates].index(term) + 1


def test_planted_code_word_ranks_in_the_top_five(fixture_lexicon: Lexicon) -> None:
    records = synthetic_listings("snowbone")
    candidates = suggest(records, Matcher(fixture_lexicon), SuggestOptions(top=5))
    terms = [c.term for c in candidates]
    assert "snowbone" in terms, terms
    planted = candidates[terms.index("snowbone")]
    assert planted.concept == "ivory"
    assert planted.count >= 25
    assert planted.background <= 6
    assert planted.z_findings > 3
    assert "log-odds" in planted.reason
    assert len(planted.examples) == 3
    by_id = {r.id: r for r in records}
    assert all("snowbone" in by_id[e].fields["title"] for e in planted.examples)


def test_planted_han_code_word_ranks_in_the_top_five(fixture_lexicon: Lexicon) -> None:
    rng = random.Random(3)
    records = []
    for i in range(300):
        positive = i < 100
        parts = ["象牙" if positive else rng.choice(["翡翠", "玉石", "檀木", "水晶"]), rng.choice(["手镯", "吊坠", "摆件", "珠子"])]
        if rng.random() < (0.3 if positive else 0.01):
            parts.insert(rng.randrange(3), "猪甲")
        parts.append(rng.choice(["包邮", "正品保证", "顺丰发货", "实物拍摄"]))
        records.append(Record("zh", i + 1, str(i + 1), {"title": "".join(parts)}))
    candidates = suggest(records, Matcher(fixture_lexicon), SuggestOptions(top=5))
    # Character grams: "猪甲" itself, not one of the trigrams around it ("猪甲手", "牙猪甲").
    top = candidates[0]
    assert top.term == "猪甲"
    assert (top.script, top.lang, top.concept) == ("Hani", "zh-Hans", "ivory")
    assert top.count >= 20
    assert top.background <= 3


def test_known_terms_stop_words_and_numbers_are_never_candidates(fixture_lexicon: Lexicon) -> None:
    records = synthetic_listings("snowbone")
    # "ivory" alone lacks the context the fixture term needs, so it is not masked as a finding:
    # it must still be recognised as a lexicon term and left out.
    records += [
        Record("extra", 900 + i, f"X{i}", {"title": f"elephant ivory ivory the 2024 {i} and"})
        for i in range(30)
    ]
    terms = {c.term for c in suggest(records, Matcher(fixture_lexicon), SuggestOptions(top=50, min_z=0))}
    assert not terms & {"ivory", "elephant ivory", "the", "and", "2024", "ivory the"}
    assert not any(t.isdigit() for t in terms)


def test_near_misses_of_known_names_are_proposed_with_their_concept(fixture_lexicon: Lexicon) -> None:
    records = synthetic_listings("snowbone")
    records += [Record("extra", 900 + i, f"N{i}", {"title": f"elephant ivroy {item}"}) for i, item in enumerate(ITEMS[:2])]
    candidates = suggest(records, Matcher(fixture_lexicon), SuggestOptions(top=30))
    miss = next(c for c in candidates if c.term == "elephant ivroy")
    assert (miss.near, miss.concept, miss.lang) == ("elephant ivory", "ivory", "en")
    assert miss.reason.startswith("near-miss of 'elephant ivory' (ivory, 1 edit)")
    # Code words are ordinary words on purpose: their neighbours are not misspellings.
    assert all(c.near != "bovine bone" for c in candidates)


def test_words_travelling_with_selling_phrases_are_candidates(fixture_lexicon: Lexicon) -> None:
    rng = random.Random(5)
    records = []
    for i in range(200):
        selling = i < 60
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(ITEMS)}"
        if selling:
            title += ", for sale" + (" ghosttooth" if rng.random() < 0.4 else "")
        records.append(Record("s", i + 1, str(i + 1), {"title": title}))
    candidates = suggest(records, Matcher(fixture_lexicon), SuggestOptions(top=5))
    ghost = next(c for c in candidates if c.term == "ghosttooth")
    assert ghost.count == 0
    assert ghost.selling >= 15
    assert ghost.z_selling > 3
    assert ghost.concept is None
    assert "co-occurs with selling phrases" in ghost.reason


def test_a_gram_inside_a_longer_one_is_not_listed_twice(fixture_lexicon: Lexicon) -> None:
    terms = [c.term for c in suggest(synthetic_listings("snow bone"), Matcher(fixture_lexicon), SuggestOptions(top=10))]
    assert "snow bone" in terms
    assert "snow" not in terms
    assert "bone" not in terms


def test_boilerplate_repeated_under_many_listings_counts_once(fixture_matcher: Matcher) -> None:
    profile = "Dealer of fine curios and antiques since 1990, worldwide shipping"
    records = [
        Record("b", i, str(i), {"title": f"elephant ivory {ITEMS[i % 8]}", "seller": profile}) for i in range(40)
    ] + [Record("b", 100 + i, f"o{i}", {"title": f"jade {ITEMS[i % 8]}"}) for i in range(40)]
    counts = count_grams(records, fixture_matcher)
    assert counts.docs[Group.FINDINGS]["curios"] == 1
    # Short titles are counted every time: different sellers write the same few words.
    assert counts.docs[Group.FINDINGS]["bangle"] == 5


def test_log_odds_is_the_informative_dirichlet_formula() -> None:
    counts = GramCounts()
    counts.scripts["w"] = "Latn"
    counts.docs[Group.FINDINGS]["w"] = 30
    counts.docs[Group.OTHER]["w"] = 2
    counts.totals[Group.FINDINGS]["Latn"] = 2000
    counts.totals[Group.OTHER]["Latn"] = 6000
    a, a0 = 32.0, 8000.0
    delta = math.log((30 + a) / (2000 + a0 - 30 - a)) - math.log((2 + a) / (6000 + a0 - 2 - a))
    expected = delta / math.sqrt(1 / (30 + a) + 1 / (2 + a))
    got = counts.log_odds("w", (Group.FINDINGS,), (Group.SELLING, Group.OTHER), 1.0)
    assert got == pytest.approx(expected)
    assert got == pytest.approx(4.41, abs=0.01)


def test_grams_are_script_aware() -> None:
    assert grams("Carved netsuke, DM {{URL}} https://x.example/a @seller") == {
        "carved", "carved netsuke", "netsuke", "dm",
    }
    assert grams("出售象牙手镯") == {"出售", "售象", "象牙", "牙手", "手镯", "出售象", "售象牙", "象牙手", "牙手镯"}
    # Han function characters never start or end a gram; "的" glues two words together.
    assert "的象" not in grams("好的象牙")
    assert grams("Bán vòng ngà") == {"bán", "bán vòng", "bán vòng ngà", "vòng", "vòng ngà", "ngà"}
    assert grams("of the 1980 pre-ban tusk") == {"pre", "pre ban", "pre ban tusk", "ban", "ban tusk", "tusk"}


def test_proposals_are_canonical_proposed_terms_that_load(tmp_path: Path, fixture_lexicon: Lexicon) -> None:
    candidates = suggest(synthetic_listings("snowbone"), Matcher(fixture_lexicon), SuggestOptions(top=3))
    done = write_proposals(candidates, tmp_path, fixture_lexicon, found_in="synthetic.jsonl")
    assert all(p.path == tmp_path / "ivory" / "en.yaml" for p in done)
    text = (tmp_path / "ivory" / "en.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "status: proposed" in text
    assert "term: snowbone" in text
    assert "Found by wildcli suggest in synthetic.jsonl" in text
    layered = load_lexicon([VALID_LEXICON, tmp_path], with_bundled=False)
    proposed = [t for t in layered.terms if t.term == "snowbone"]
    assert [(t.status.value, t.severity.value, t.kind.value) for t in proposed] == [("proposed", "review", "code_word")]
    # A second run over the same data skips what is already proposed instead of failing.
    again = write_proposals(candidates, tmp_path, fixture_lexicon, found_in="synthetic.jsonl")
    assert all(p.path is None and "already in" in (p.skipped or "") for p in again)


@pytest.mark.corpora
def test_wlt_osn_ivory_tweets_suggest_ivory_trade_words() -> None:
    corpus = need_corpora() / "wlt_osn_ivory_tweets.csv"
    lexicon = load_lexicon()
    records = read_records(str(corpus), ReadOptions(fields=("tweet_text_cleaned",), id_field="tweet_id"))
    candidates = suggest(records, Matcher(lexicon), SuggestOptions(top=10))
    terms = [c.term for c in candidates]
    assert len(terms) == 10
    assert {"tusk", "mammoth"} <= set(terms), terms
    assert all(c.concept == "ivory" for c in candidates if c.count)
    # Nothing the lexicon already holds comes back as a suggestion.
    known = {t.term.casefold() for t in lexicon.terms}
    assert not set(terms) & known


def test_counting_holds_at_most_max_grams_and_keeps_the_frequent_ones(fixture_lexicon: Lexicon) -> None:
    # A dump of unique words grew the counts without bound (over 3 GB on 36 MB); the planted
    # word must still rank among the noise of 40,000 grams seen once each.
    rng = random.Random(3)
    noise = [
        Record("noise", i, f"N{i}", {"title": " ".join("".join(rng.choices("bcdfghklmnprstvz", k=7)) for _ in range(4))})
        for i in range(4000)
    ]
    records = synthetic_listings("snowbone")
    mixed = [*noise[:2000], *records, *noise[2000:]]
    counts = count_grams(mixed, Matcher(fixture_lexicon), max_grams=2000)
    assert len(counts.scripts) <= 2000
    assert counts.forgotten >= 1
    exact = count_grams(records, Matcher(fixture_lexicon))
    assert exact.forgotten == 0
    for gram in ("snowbone", "antique", "hand carved"):
        for group in Group:
            assert exact.docs[group][gram] - counts.forgotten <= counts.docs[group][gram] <= exact.docs[group][gram]
    candidates = suggest(mixed, Matcher(fixture_lexicon), SuggestOptions(top=5, max_grams=2000))
    assert "snowbone" in [c.term for c in candidates]
