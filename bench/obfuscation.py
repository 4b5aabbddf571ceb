"""Benchmark: scan throughput with obfuscation handling on vs off, same corpus, same process.

    python bench/obfuscation.py [--lexicon DIR] [--corpus FILE ...] [--repeat 3] [--fuzzy] [--strict]

Corpora default to the shared evaluation corpora (read in place, never copied; found through
$WILDCLI_SHARED or ../shared next to the checkout), else a generated corpus. Runs alternate
off/on so drift hits both alike; each figure is the median of --repeat runs. Prints a table,
then one JSON object. Target: on/off ratio >= 0.5; a miss is printed, and with --strict it
also makes the exit status 1 (a benchmark that ran says so with 0, as `make bench` expects).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import orjson

from wildcli.discovery.variants import expand
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.match.matcher import Matcher, MatchOptions
from wildcli.scanning.local import BATCH_RECORDS

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WILDCLI_SHARED", ROOT.parent / "shared")) / "corpora"
DEFAULT_CORPORA = ("craigslist_forsale_2017.jsonl", "shopee_tw_product_titles_zh.csv")
TARGET_RATIO = 0.5


def read_corpus(path: Path) -> list[str]:
    """The text fields of a JSONL or CSV dump (strings only; ids and prices are skipped)."""
    if path.suffix == ".jsonl":
        texts: list[str] = []
        with path.open("rb") as f:
            for line in f:
                record = orjson.loads(line)
                texts.extend(v for k, v in record.items() if isinstance(v, str) and "id" not in k)
        return texts
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [cell for row in rows[1:] for cell in row if cell and not cell.isdigit()]


def generated_corpus(lexicon: Lexicon, size: int = 20_000) -> list[str]:
    """Marketplace-like filler with 1% of listings carrying an obfuscated term (seeded)."""
    rng = random.Random(20261129)
    words = [
        "vintage", "oak", "table", "chair", "lamp", "good", "condition", "pickup", "only", "cash",
        "price", "firm", "new", "used", "phone", "case", "64gb", "bike", "wheels", "size", "large",
        "small", "box", "shipping", "offer", "today",
    ]
    terms = [t for t in lexicon.active_terms() if t.kind.value != "emoji"][:200]
    texts = []
    for i in range(size):
        listing = [rng.choice(words) for _ in range(rng.randint(5, 40))]
        if terms and i % 100 == 0:
            variants = expand(rng.choice(terms), max_variants=20)
            if variants:
                listing.insert(rng.randrange(len(listing)), rng.choice(variants).text)
        texts.append(" ".join(listing))
    return texts


def time_once(matcher: Matcher, texts: list[str]) -> tuple[float, int]:
    """Seconds and findings for matching `texts` in batches, as `wildcli scan` does."""
    started = time.perf_counter()
    found = sum(
        len(f) for at in range(0, len(texts), BATCH) for f in matcher.find_many(texts[at:at + BATCH])
    )
    return time.perf_counter() - started, found


BATCH = 2 * BATCH_RECORDS  # texts per batch: a scan's batch of two-field records


def bench(name: str, texts: list[str], modes: dict[str, Matcher], repeat: int) -> dict[str, object]:
    size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    findings: dict[str, int] = {}
    for _ in range(repeat):
        for mode, matcher in modes.items():
            seconds, findings[mode] = time_once(matcher, texts)
            times[mode].append(seconds)
    result: dict[str, object] = {"corpus": name, "records": len(texts), "mb": round(size / 1e6, 3)}
    for mode in modes:
        median = statistics.median(times[mode])
        result[mode] = {
            "seconds": round(median, 4), "mb_per_s": round(size / median / 1e6, 2),
            "records_per_s": round(len(texts) / median), "findings": findings[mode],
        }
    off = statistics.median(times["off"])
    result["ratio_on_off"] = round(off / statistics.median(times["on"]), 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lexicon", action="append", help="lexicon directory (default: bundled)")
    parser.add_argument("--corpus", action="append", type=Path, help="JSONL or CSV dump")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fuzzy", action="store_true", help="also time obfuscation + fuzzy")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses the target")
    args = parser.parse_args(argv)
    lexicon = load_lexicon(args.lexicon) if args.lexicon else load_lexicon()
    modes = {
        "off": Matcher(lexicon, MatchOptions(obfuscation=False)),
        "on": Matcher(lexicon, MatchOptions(obfuscation=True)),
    }
    if args.fuzzy:
        modes["on+fuzzy"] = Matcher(lexicon, MatchOptions(obfuscation=True, fuzzy=True))
    paths = args.corpus or [SHARED / name for name in DEFAULT_CORPORA if (SHARED / name).is_file()]
    corpora = [(p.name, read_corpus(p)) for p in paths] or [("generated", generated_corpus(lexicon))]
    results = [bench(name, texts, modes, args.repeat) for name, texts in corpora]
    print(f"{'corpus':36} {'mode':9} {'MB/s':>8} {'records/s':>10} {'findings':>9}")
    for r in results:
        for mode in modes:
            m = r[mode]
            assert isinstance(m, dict)
            print(
                f"{r['corpus']!s:36} {mode:9} {m['mb_per_s']:8.2f} {m['records_per_s']:10} {m['findings']:9}"
            )
        met = "met" if float(str(r["ratio_on_off"])) >= TARGET_RATIO else "missed"
        print(f"{r['corpus']!s:36} ratio on/off {r['ratio_on_off']} (target >= {TARGET_RATIO}: {met})")
    summary = {"lexicon_terms": len(lexicon.active_terms()), "repeat": args.repeat, "results": results}
    print(json.dumps(summary))
    missed = any(float(str(r["ratio_on_off"])) < TARGET_RATIO for r in results)
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
