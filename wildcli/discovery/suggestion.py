"""Term discovery: rank the words that listings with findings use and the lexicon lacks, each with
its evidence, so that experts can follow slang as it moves ("穿山甲" blocked, "猪甲" appears)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from wildcli.discovery.nearmiss import VocabularyNearMiss, near_misses
from wildcli.discovery.termcounts import MAX_GRAMS, GramCounts, Group, count_grams
from wildcli.lexicon.model import Lexicon
from wildcli.match.languages import unspaced
from wildcli.match.matcher import Matcher
from wildcli.readers import Record
from wildcli.text.normalize import View, fold, normalize_key

NEAR_MISS_WEIGHT = 3.0
"""A near-miss of a known term adds this much times its similarity (0.8 to 0.95) to its log-odds
z: with no other evidence it scores like a z of 2.4 to 2.9, a solid but not a top lead."""
COVERED = 0.8
"""A gram is dropped in favour of a longer one holding it in this share of its listings
("bovine" inside "bovine bone")."""
_SCRIPT_LANGS = {
    "Hani": "zh-Hans", "Jpan": "ja", "Hang": "ko", "Thai": "th", "Laoo": "lo", "Khmr": "km",
    "Mymr": "my", "Cyrl": "ru", "Arab": "ar", "Hebr": "he", "Grek": "el", "Deva": "hi",
    "Beng": "bn", "Taml": "ta", "Geor": "ka", "Armn": "hy", "Ethi": "am", "Sinh": "si",
}
_VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


@dataclass(frozen=True)
class SuggestOptions:
    """How many candidates and how much evidence each needs.

    `min_count`: listings a word must occur in (with findings, or with selling phrases);
    `min_z`: the log-odds z-score it needs (1.96 is p < 0.05, two-sided, before any
    correction for the many words compared: treat the list as leads, not proof);
    `prior_scale`: weight of the whole-corpus prior (larger shrinks rare words more);
    `max_grams`: distinct words and phrases counted at a time, which bounds memory (see
    wildcli.discovery.termcounts.GramCounts: past it the rarest are forgotten).
    """

    top: int = 20
    min_count: int = 3
    min_z: float = 1.96
    max_n: int = 3
    prior_scale: float = 1.0
    examples: int = 3
    near_misses: bool = True
    max_grams: int = MAX_GRAMS


@dataclass(frozen=True)
class Candidate:
    """A word or phrase the lexicon may be missing, and why it is suggested.

    `count`: listings with findings that hold it; `background`: listings without findings that
    hold it; `selling`: of those, listings with a selling phrase; `concept`: the concept of
    the findings in its listings (or of the term it nearly spells); `near`: that term;
    `z_findings`/`z_selling`: the log-odds z-scores behind `score`.
    """

    term: str
    score: float
    count: int
    background: int
    selling: int
    concept: str | None
    lang: str
    script: str
    reason: str
    examples: tuple[str, ...]
    near: str | None = None
    z_findings: float = 0.0
    z_selling: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("score", "z_findings", "z_selling"):
            data[key] = round(data[key], 3)
        data["examples"] = list(self.examples)
        return data


def suggest(
    records: Iterable[Record], matcher: Matcher, options: SuggestOptions | None = None
) -> list[Candidate]:
    """The `options.top` best candidate terms in `records`, best first."""
    options = options or SuggestOptions()
    counts = count_grams(
        records, matcher, max_n=options.max_n, examples=options.examples, max_grams=options.max_grams
    )
    return rank(counts, matcher.lexicon, options)


def rank(counts: GramCounts, lexicon: Lexicon, options: SuggestOptions) -> list[Candidate]:
    """Candidates from counted grams: log-odds, selling-phrase company and near-misses."""
    known = _known_keys(lexicon)
    vocabulary = [g for g in counts.scripts if not _is_known(g, known)]
    misses = near_misses(vocabulary, lexicon) if options.near_misses else {}
    scores: dict[str, tuple[float, float]] = {}
    for gram in vocabulary:
        found = counts.docs[Group.FINDINGS][gram] >= options.min_count
        selling = counts.docs[Group.SELLING][gram] >= options.min_count
        if found or selling or gram in misses:
            z = _z(counts, gram, options.prior_scale)
            z = (z[0] if found or gram in misses else 0.0, z[1] if selling or gram in misses else 0.0)
            if max(z) >= options.min_z or gram in misses:
                scores[gram] = z
    kept = set(_drop_covered([g for g in scores if g not in misses], counts)) | set(misses)
    candidates = [_candidate(g, z, misses.get(g), counts, options) for g, z in scores.items() if g in kept]
    # A near-miss whose listings argue against it ends below the bar and is dropped here.
    candidates = [c for c in candidates if c.score >= options.min_z]
    candidates.sort(key=lambda c: (-c.score, c.term))
    return _drop_longer(candidates)[: options.top]


def _z(counts: GramCounts, gram: str, prior_scale: float) -> tuple[float, float]:
    """Log-odds z of listings with findings against the rest, and of listings with selling
    phrases (and no finding) against those with neither."""
    return (
        counts.log_odds(gram, (Group.FINDINGS,), (Group.SELLING, Group.OTHER), prior_scale),
        counts.log_odds(gram, (Group.SELLING,), (Group.OTHER,), prior_scale),
    )


def _candidate(
    gram: str, z: tuple[float, float], miss: VocabularyNearMiss | None, counts: GramCounts,
    options: SuggestOptions,
) -> Candidate:
    z_find, z_sell = z
    found = counts.docs[Group.FINDINGS][gram]
    selling = counts.docs[Group.SELLING][gram]
    background = selling + counts.docs[Group.OTHER][gram]
    reasons = []
    if miss is not None:
        edits = "edit" if miss.distance == 1 else "edits"
        reasons.append(
            f"near-miss of {miss.term.term!r} ({miss.term.concept}, {miss.distance} {edits}): "
            f"in {found} listings with findings, {background} without"
        )
    if z_find >= options.min_z and found >= options.min_count:
        reasons.append(f"log-odds z={z_find:.1f}: in {found} listings with findings, {background} without")
    if z_sell >= options.min_z and selling >= options.min_count:
        reasons.append(
            f"co-occurs with selling phrases: in {selling} listings with one and no known term "
            f"(z={z_sell:.1f})"
        )
    if found and counts.with_selling[gram]:
        reasons.append(f"with selling phrases and known terms in {counts.with_selling[gram]} listings")
    score = max(z_find, z_sell, 0.0)
    if miss is not None:
        # The evidence may be negative here: a "near-miss" seen mostly in unrelated listings is
        # most likely an ordinary word ("carry" next to "carey").
        score = NEAR_MISS_WEIGHT * miss.similarity + max(z_find, z_sell)
    script = counts.scripts[gram]
    concept = miss.term.concept if miss else _most_common(counts.concepts.get(gram))
    lang = miss.term.lang if miss else _most_common(counts.langs.get(gram)) or _lang_of(gram, script)
    examples = [i for g in Group for i in counts.examples[g].get(gram, ())][: options.examples]
    return Candidate(
        term=gram, score=score, count=found, background=background, selling=selling,
        concept=concept, lang=lang, script=script, reason="; ".join(reasons),
        examples=tuple(examples), near=miss.term.term if miss else None,
        z_findings=z_find, z_selling=z_sell,
    )


def _known_keys(lexicon: Lexicon) -> tuple[set[str], set[str]]:
    """Base and folded keys of every term (any status), hyphens read as spaces like the tokens."""
    base: set[str] = set()
    folded: set[str] = set()
    for term in lexicon.terms:
        key = " ".join(normalize_key(term.term, View.BASE).replace("-", " ").split())
        base.add(key)
        folded.add(fold(key))
    return base, folded


def _is_known(gram: str, known: tuple[set[str], set[str]]) -> bool:
    return gram in known[0] or fold(gram) in known[1]


def _drop_covered(grams: list[str], counts: GramCounts) -> list[str]:
    """Grams that no longer candidate holds in most of their listings ("bovine" in "bovine bone")."""
    def listings(gram: str) -> int:
        return counts.docs[Group.FINDINGS][gram] + counts.docs[Group.SELLING][gram]

    cover: Counter[str] = Counter()
    for gram in grams:
        for part in _parts(gram):
            cover[part] = max(cover[part], listings(gram))
    return [g for g in grams if cover[g] < COVERED * listings(g)]


def _drop_longer(candidates: list[Candidate]) -> list[Candidate]:
    """One lead per phrase: of a gram and a longer one holding it, or of overlapping grams
    found in the very same listings, only the better-scored one is kept."""
    kept: list[Candidate] = []
    for c in candidates:
        parts = _parts(c.term)
        if any(
            k.term in parts or c.term in _parts(k.term)
            or ((k.count, k.background) == (c.count, c.background) and _overlap(k.term, c.term))
            for k in kept
        ):
            continue
        kept.append(c)
    return kept


def _overlap(a: str, b: str) -> bool:
    if " " in a or " " in b or not unspaced(a):
        return bool(set(a.split(" ")) & set(b.split(" ")))
    return bool({a[i:i + 2] for i in range(len(a) - 1)} & {b[i:i + 2] for i in range(len(b) - 1)})


def _parts(gram: str) -> set[str]:
    """Shorter grams inside `gram`: word sub-sequences, or substrings of a character gram."""
    if " " in gram:
        words = gram.split(" ")
        return {
            " ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        } - {gram}
    if not unspaced(gram):
        return set()
    return {gram[i:j] for i in range(len(gram)) for j in range(i + 2, len(gram) + 1)} - {gram}


def _most_common(counter: Counter[str] | None) -> str | None:
    if not counter:
        return None
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _lang_of(gram: str, script: str) -> str:
    """A guess from the script alone; Latin with Vietnamese letters is Vietnamese, else English."""
    if script == "Latn":
        return "vi" if _VIETNAMESE & set(gram) else "en"
    return _SCRIPT_LANGS.get(script, "und")
