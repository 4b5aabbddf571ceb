"""Deterministic synthetic inputs for `make bench`: multilingual listings and a 10,000-term overlay.

The listings and terms are synthetic strings built from per-language syllables, not real slang:
they exist only to load the engine like a platform-sized dump and lexicon would. About 1% of
listings carry a term, some of them obfuscated the way sellers do it.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

SEED = 20261129
SIZES = {"small": 100_000, "full": 1_000_000}
TERMS = 10_000

SYLLABLES = {
    "en": "ka lo mer tin bra vel sto dun par ric ton fel gar wis ple".split(),
    "fr": "bé lou ché mar ton vil pré dou ran cé lin fau gré moi".split(),
    "es": "ña lo ca mi re to pa dul gra cie ño bar sel ven".split(),
    "de": "ber stü kla mö han dorf wei schl gen rü ba tzi ß".split(),
    "vi": "nguy thà bộ cửa hàng mới giá rẻ đẹp tốt lắm khô bán".split(),
    "zh": list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")[:200],
    "th": "กา ลา มา นา ดี ใจ รัก บ้าน เมือง ขาย ของ ใหม่ ถูก สวย".split(),
}
MARKET = {
    "en": "for sale good condition pickup only price firm shipping available like new".split(),
    "fr": "à vendre bon état prix ferme livraison possible comme neuf".split(),
    "es": "se vende buen estado precio fijo envío disponible como nuevo".split(),
    "de": "zu verkaufen guter zustand festpreis versand möglich wie neu".split(),
    "vi": "bán giá tốt còn mới giao hàng toàn quốc liên hệ".split(),
    "zh": ["出售", "九成新", "包邮", "价格可议", "自提", "全新"],
    "th": ["ขาย", "สภาพดี", "ส่งฟรี", "ราคาถูก", "ของแท้"],
}
SHARES = {"en": 34, "fr": 10, "es": 10, "de": 10, "vi": 13, "zh": 13, "th": 10}
FORMS = ("exact", "upper", "spaced", "dotted", "leet", "fullwidth")
LEET = str.maketrans({"i": "1", "o": "0", "e": "3", "a": "4", "s": "5"})


def _word(rng: random.Random, lang: str, syllables: int) -> str:
    parts = [rng.choice(SYLLABLES[lang]) for _ in range(syllables)]
    return "".join(parts)


def make_terms(rng: random.Random) -> list[tuple[str, str]]:
    """(lang, term) pairs; a marker syllable keeps terms out of the filler by construction."""
    terms: dict[str, str] = {}
    langs = list(SHARES)
    while len(terms) < TERMS:
        lang = rng.choices(langs, weights=[SHARES[x] for x in langs])[0]
        joiner = "" if lang in ("zh", "th") else " "
        words = [_word(rng, lang, rng.randint(2, 3)) for _ in range(rng.choice((1, 1, 1, 2)))]
        term = ("qx" if lang not in ("zh", "th") else "鑫") + joiner.join(words)
        terms.setdefault(term, lang)
    return sorted((lang, term) for term, lang in terms.items())


def _obfuscate(term: str, form: str) -> str:
    if form == "upper":
        return term.upper()
    if form == "spaced":
        return " ".join(term)
    if form == "dotted":
        return ".".join(term)
    if form == "leet":
        return term.translate(LEET)
    if form == "fullwidth":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term)
    return term


def make_listing(rng: random.Random, i: int, terms: list[tuple[str, str]]) -> dict[str, str]:
    langs = list(SHARES)
    lang = rng.choices(langs, weights=[SHARES[x] for x in langs])[0]
    sep = "" if lang in ("zh", "th") else " "
    title = sep.join(_word(rng, lang, rng.randint(1, 3)) for _ in range(rng.randint(3, 7)))
    words = [_word(rng, lang, rng.randint(1, 3)) for _ in range(rng.randint(12, 40))]
    words += rng.sample(MARKET[lang], 3)
    rng.shuffle(words)
    description = sep.join(words)
    if rng.random() < 0.01:
        term = _obfuscate(rng.choice(terms)[1], rng.choice(FORMS))
        description = f"{description}{sep}{term}{sep}{rng.choice(MARKET[lang])}"
    return {"id": f"B{i:07d}", "title": title, "description": description, "lang": lang,
            "price": str(rng.randint(1, 5000)), "country": rng.choice(["VN", "CN", "US", "FR", "TH", "DE"])}


def write_overlay(directory: Path, terms: list[tuple[str, str]]) -> None:
    concept = directory / "bench_synthetic"
    concept.mkdir(parents=True, exist_ok=True)
    (concept / "concept.yaml").write_text(
        "id: bench_synthetic\nseverity: review\nlabels:\n  en: synthetic benchmark terms\n"
        "description: Synthetic strings that load the engine like a 10,000-term lexicon.\n",
        "utf-8",
    )
    by_lang: dict[str, list[str]] = {}
    for lang, term in terms:
        by_lang.setdefault(lang, []).append(term)
    source = "    sources:\n      - title: synthetic benchmark term\n"
    for lang, items in by_lang.items():
        lines = ["terms:"]
        for term in items:
            lines += [f"  - term: {json.dumps(term, ensure_ascii=False)}", "    kind: name",
                      "    status: approved", source.rstrip("\n")]
        (concept / f"{lang}.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def generate(out: Path, size: str) -> dict[str, Path]:
    """Write the corpus (JSONL and CSV) and the overlay under `out`, unless already there."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"jsonl": out / f"listings_{size}.jsonl", "csv": out / f"listings_{size}.csv",
             "overlay": out / "overlay"}
    rng = random.Random(SEED)
    terms = make_terms(rng)
    if not (paths["overlay"] / "bench_synthetic" / "concept.yaml").exists():
        write_overlay(paths["overlay"], terms)
    if paths["jsonl"].exists() and paths["csv"].exists():
        return paths
    fields = ["id", "title", "description", "lang", "price", "country"]
    tmp_jsonl = paths["jsonl"].with_name(paths["jsonl"].name + ".tmp")
    tmp_csv = paths["csv"].with_name(paths["csv"].name + ".tmp")
    with tmp_jsonl.open("w", encoding="utf-8") as jf, tmp_csv.open("w", encoding="utf-8", newline="") as cf:
        writer = csv.DictWriter(cf, fieldnames=fields)
        writer.writeheader()
        for i in range(SIZES[size]):
            listing = make_listing(rng, i, terms)
            jf.write(json.dumps(listing, ensure_ascii=False) + "\n")
            writer.writerow(listing)
    tmp_jsonl.replace(paths["jsonl"])
    tmp_csv.replace(paths["csv"])
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    args = parser.parse_args()
    for name, path in generate(args.out, args.size).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
