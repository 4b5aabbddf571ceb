"""`make export-figures`: what each export does when its target applies it, next to wildcli.

Every format is rendered with its defaults from the bundled lexicon, read back from its files
and applied by `wildcli.simulation` to:
- the bundled sample (labelled): recall, precision and benign blocks, export and wildcli;
- the shared benign corpora (titles and descriptions; read from ../shared, never copied) and the
  legitimate phrases of research/false_positives.tsv: how many the export blocks;
- the labelled query sets of tests/data/queries (dev and held-out halves of each): recall as a share of
  wildcli's own, and how many benign searches it flags, by kind of search.
Prints markdown tables; `--json FILE` also saves the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from wildcli.errors import UsageError  # noqa: E402
from wildcli.exporters import ExportFormat, RenderOptions  # noqa: E402
from wildcli.exporters.selection import ExportOptions, render_export  # noqa: E402
from wildcli.lexicon import Lexicon, load_lexicon  # noqa: E402
from wildcli.lexicon.actions import Action  # noqa: E402
from wildcli.match.matcher import Matcher, MatchOptions  # noqa: E402
from wildcli.quality.evaluation import read_labeled  # noqa: E402
from wildcli.readers import ReadOptions, Record, read_records  # noqa: E402
from wildcli.simulation import Applier, SimulationReport, load_applier, simulate  # noqa: E402

SHARED = Path(os.environ.get("WILDCLI_SHARED", ROOT.parent / "shared"))
KEY = b"export-figures-key"
FLAGGING = (Action.BLOCK, Action.WARN)
BENIGN = {
    "craigslist titles": ("corpora/craigslist_forsale_2017.jsonl", ("title",)),
    "shopee titles (zh, en)": ("corpora/shopee_tw_product_titles_zh.csv", ("title_zh", "title_en_reference")),
    "vn titles": ("corpora/vn_ecommerce_sample_titles.jsonl", ("product_name",)),
}
DESCRIPTIONS = ("corpora/craigslist_forsale_2017.jsonl", ("description",))
FALSE_POSITIVES = ("research/false_positives.tsv", ("phrase",))
QUERY_HALVES = ("dev", "heldout", "dev2", "heldout2", "dev3", "heldout3", "dev4", "heldout4")
"""The labelled query sets: the first set, the second one of benign senses in every language, and
the third, of more benign senses (no positives)."""
QUERY_FAMILIES = ("colour", "pattern", "brand", "toy", "dish")
"""The benign searches in which the product word is a colour, pattern, brand, toy or dish."""


@dataclass(frozen=True)
class Labelled:
    records: Sequence[Record]
    labels: dict[int, bool]


def corpus(path: str, fields: tuple[str, ...]) -> list[Record] | None:
    full = SHARED / path
    if not full.is_file():
        return None
    return list(read_records(str(full), ReadOptions(fields=fields), on_error=lambda _: None))


def labelled(path: Path, field: str = "label", fields: tuple[str, ...] | None = None) -> Labelled:
    dump = read_labeled(str(path), field, "1", ReadOptions(fields=fields))
    return Labelled(dump.records, dump.labels)


def blocked(report: SimulationReport) -> int:
    return report.export.actions.get(Action.BLOCK, 0)


def render(lexicon: Lexicon, fmt: ExportFormat, variants: bool = False) -> tuple[Applier, int]:
    options = ExportOptions(variants=variants, render=RenderOptions(hmac_key=KEY, max_pattern_chars=100_000))
    result = render_export(lexicon, fmt, options)
    return load_applier(result, KEY), result.exported


def pct(num: int, den: int) -> str:
    return f"{num / den:.2%}" if den else "-"


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def run_queries(lexicon: Lexicon, matcher: Matcher, fmt: ExportFormat, variants: bool) -> dict[str, Any]:
    """Per half: recall of both sides, and benign searches the export flags, by kind of search."""
    applier, _ = render(lexicon, fmt, variants)
    out = {}
    for half in QUERY_HALVES:
        path = ROOT / "tests" / "data" / "queries" / f"{half}.tsv"
        data = labelled(path, fields=("query",))
        kinds = read_records(str(path), ReadOptions(fields=("family",)))
        families = {r.row: r.fields["family"] for r in kinds}
        report = simulate(data.records, applier, matcher, labels=data.labels)
        benign: Counter[str] = Counter()
        hits: Counter[str] = Counter()
        ours: Counter[str] = Counter()
        for record in data.records:
            family = families[record.row]
            if data.labels[record.row]:
                continue
            group = "named" if family in QUERY_FAMILIES else family
            query = record.fields["query"]
            benign[group] += 1
            hits[group] += applier.apply(query).action in FLAGGING
            ours[group] += Action.strongest(f.action for f in matcher.find(query)) in FLAGGING
        e, w = report.export.flagged, report.wildcli.flagged
        assert e is not None
        assert w is not None
        out[half] = {
            "export_recall": e.recall, "wildcli_recall": w.recall, "ratio": report.recall_ratio,
            "benign": {g: (hits[g], benign[g]) for g in sorted(benign)},
            "wildcli_benign": {g: (ours[g], benign[g]) for g in sorted(benign)},
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also save the figures here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    lexicon = load_lexicon()
    matcher = Matcher(lexicon, MatchOptions(fuzzy=False))
    sample = labelled(ROOT / "examples" / "listings.jsonl", fields=("title", "description"))
    benign = {name: corpus(*spec) for name, spec in BENIGN.items()}
    descriptions = corpus(*DESCRIPTIONS)
    phrases = corpus(*FALSE_POSITIVES)
    have_shared = all(v is not None for v in benign.values())
    figures: dict[str, Any] = {"formats": {}, "queries": {}}

    print("| format | sample recall (wildcli) | sample precision (wildcli) | benign titles blocked |"
          " craigslist descriptions blocked | false_positives.tsv blocked |")
    print("|---|---|---|---|---|---|")
    for fmt in ExportFormat:
        try:
            applier, exported = render(lexicon, fmt)
        except UsageError as error:
            print(f"| `{fmt.value}` | {error} | | | | |")
            continue
        rep = simulate(sample.records, applier, matcher, labels=sample.labels)
        e, w = rep.export.flagged, rep.wildcli.flagged
        assert e is not None
        assert w is not None
        row: dict[str, Any] = {"exported": exported, "sample": rep.to_dict()}
        cells = [f"`{fmt.value}`", f"{ratio(e.recall)} ({ratio(w.recall)})",
                 f"{ratio(e.precision)} ({ratio(w.precision)})"]
        if have_shared and descriptions is not None and phrases is not None:
            titles = [(n, simulate(records, applier, matcher)) for n, records in benign.items() if records]
            total = sum(r.records for _, r in titles)
            hit = sum(blocked(r) for _, r in titles)
            desc = simulate(descriptions, applier, matcher)
            fps = simulate(phrases, applier, matcher)
            row["benign"] = {n: (blocked(r), r.records) for n, r in titles}
            row["descriptions"] = (blocked(desc), desc.records)
            row["false_positives"] = (blocked(fps), fps.records)
            cells += [f"{hit} of {total:,} ({pct(hit, total)})", f"{blocked(desc)} of {desc.records:,}",
                      f"{blocked(fps)} of {fps.records}"]
        else:
            cells += ["shared corpora absent"] * 3
        figures["formats"][fmt.value] = row
        print("| " + " | ".join(cells) + " |")

    print()
    print("| export | half | recall (wildcli) | share of wildcli's recall |"
          " benign colour/pattern/brand/toy/dish searches flagged (wildcli) |"
          " other benign searches flagged (wildcli) |")
    print("|---|---|---|---|---|---|")
    for fmt, variants in ((ExportFormat.JSON, True), (ExportFormat.JSON, False), (ExportFormat.TXT, True)):
        name = f"{fmt.value}{' --variants' if variants else ''}"
        result = run_queries(lexicon, matcher.for_queries(), fmt, variants)  # judged as check judges them
        figures["queries"][name] = result
        for half, q in result.items():
            named, other = q["benign"].get("named", (0, 0)), q["benign"].get("other", (0, 0))
            w_named = q["wildcli_benign"].get("named", (0, 0))
            w_other = q["wildcli_benign"].get("other", (0, 0))
            print(f"| `{name}` | {half} | {ratio(q['export_recall'])} ({ratio(q['wildcli_recall'])}) | "
                  f"{ratio(q['ratio'])} | {named[0]} of {named[1]}, {pct(*named)} ({pct(*w_named)}) | "
                  f"{other[0]} of {other[1]}, {pct(*other)} ({pct(*w_other)}) |")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
