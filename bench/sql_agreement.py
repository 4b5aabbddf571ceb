"""Benchmark: the sql export inside PostgreSQL and DuckDB, next to wildcli's own judgement.

    python bench/sql_agreement.py [--no-variants] [--json FILE]

The default export and one with --variants are loaded into a PostgreSQL server of this run's
own (tests/sql/server.py) and an in-memory DuckDB; `wildcli_action` runs over the bundled sample
and, when present, the shared corpora (read in place, never copied; found through
$WILDCLI_SHARED or ../shared next to the checkout): craigslist title and description, shopee
title_zh, vn product_name, the labelled ivory tweets' tweet_text_cleaned. A record's action is
the strongest over its fields, in the database and in wildcli (Matcher with default options,
the strongest Action of its findings). Printed per dataset and database: the share of records
with the same action as wildcli, how many differ from RE2 applying the script's own rules (to
the text as the database normalises it), and rows per second, with wildcli's own rows per second
from the same run. DuckDB's figure includes compiling every pattern, which it does once per
query, and PostgreSQL's compiling the patterns the dataset reaches, once per session.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sql.server import MISSING, binaries, running_server  # noqa: E402
from wildcli.exporters import ExportFormat, RenderOptions  # noqa: E402
from wildcli.exporters.base import SqlDialect  # noqa: E402
from wildcli.exporters.selection import ExportOptions, render_export  # noqa: E402
from wildcli.lexicon import load_lexicon  # noqa: E402
from wildcli.lexicon.actions import Action  # noqa: E402
from wildcli.match.matcher import Matcher  # noqa: E402
from wildcli.scanning.local import BATCH_RECORDS  # noqa: E402
from wildcli.simulation.sqlrules import RegexRules, read_rules  # noqa: E402

SHARED = Path(os.environ.get("WILDCLI_SHARED", ROOT.parent / "shared")) / "corpora"
OUT = ROOT / "bench" / "out" / "sql_agreement.json"


@dataclass(frozen=True)
class Dataset:
    name: str
    path: Path
    fields: tuple[str, ...]


DATASETS = (
    Dataset("sample", ROOT / "examples" / "listings.jsonl", ("title", "description")),
    Dataset("craigslist", SHARED / "craigslist_forsale_2017.jsonl", ("title", "description")),
    Dataset("shopee", SHARED / "shopee_tw_product_titles_zh.csv", ("title_zh",)),
    Dataset("vn", SHARED / "vn_ecommerce_sample_titles.jsonl", ("product_name",)),
    Dataset("tweets", SHARED / "wlt_osn_ivory_tweets.csv", ("tweet_text_cleaned",)),
)

Rows = list[tuple[str, ...]]
FLAGGING = (Action.BLOCK, Action.WARN)
Timed = tuple[list[Action], float]  # an action per record, and the seconds they took
Engine = Callable[[str, Rows], Timed]


def read(dataset: Dataset) -> Rows:
    """One tuple of field texts per record (a missing field is an empty text)."""
    if dataset.path.suffix == ".jsonl":
        with dataset.path.open(encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
    else:
        csv.field_size_limit(1 << 24)
        with dataset.path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.DictReader(handle))
    return [tuple(str(r.get(f) or "") for f in dataset.fields) for r in records]


def strongest(actions: list[str]) -> Action:
    return Action.strongest(Action(a) for a in actions)


def wildcli_actions(matcher: Matcher, rows: Rows) -> Timed:
    """wildcli's action per record, and the seconds it took (batched as a scan batches)."""
    texts = [text for row in rows for text in row]
    started = time.perf_counter()
    findings = []
    for at in range(0, len(texts), BATCH_RECORDS):
        findings.extend(matcher.find_many(texts[at : at + BATCH_RECORDS]))
    seconds = time.perf_counter() - started
    width = len(rows[0]) if rows else 1
    actions = [
        Action.strongest(f.action for found in findings[k : k + width] for f in found)
        for k in range(0, len(findings), width)
    ]
    return actions, seconds


def _select(width: int) -> str:
    return "SELECT " + ", ".join(f"wildcli_action(f{k})" for k in range(width)) + " FROM records ORDER BY n"


def postgres_actions(conn: Any, rows: Rows) -> Timed:
    width = len(rows[0])
    conn.execute("DROP TABLE IF EXISTS records")
    conn.execute("CREATE TABLE records (n integer, " + ", ".join(f"f{k} text" for k in range(width)) + ")")
    with conn.cursor().copy("COPY records FROM STDIN") as copy:
        for n, row in enumerate(rows):
            copy.write_row((n, *row))
    started = time.perf_counter()
    result = conn.execute(_select(width)).fetchall()
    return [strongest(list(r)) for r in result], time.perf_counter() - started


def duckdb_actions(conn: Any, rows: Rows) -> Timed:
    width = len(rows[0])
    columns = ", ".join(f"unnest(?) AS f{k}" for k in range(width))
    conn.execute(f"CREATE OR REPLACE TABLE records AS SELECT unnest(?) AS n, {columns}",
                 [list(range(len(rows))), *([row[k] for row in rows] for k in range(width))])
    started = time.perf_counter()
    result = conn.execute(_select(width)).fetchall()
    return [strongest(list(r)) for r in result], time.perf_counter() - started


def score(
    export: str, database: str, dataset: str, db: Timed, wildcli: Timed, re2: list[Action]
) -> dict[str, Any]:
    """The figures of one export in one database on one dataset; `re2` is RE2 applying the
    script's own rules to the text as the database normalises it."""
    (theirs, seconds), (ours, our_seconds) = db, wildcli
    n = len(ours)
    same = sum(a is b for a, b in zip(theirs, ours, strict=True))
    same_flag = sum((a in FLAGGING) == (b in FLAGGING) for a, b in zip(theirs, ours, strict=True))
    return {
        "export": export, "database": database, "dataset": dataset, "records": n,
        "agreement": round(same / n, 4) if n else 1.0, "differ": n - same,
        "flag_agreement": round(same_flag / n, 4) if n else 1.0,
        "differ_from_re2": sum(a is not b for a, b in zip(theirs, re2, strict=True)),
        "export_flagged": sum(a in FLAGGING for a in theirs),
        "wildcli_flagged": sum(a in FLAGGING for a in ours),
        "seconds": round(seconds, 3), "rows_per_s": round(n / seconds),
        "wildcli_rows_per_s": round(n / our_seconds),
    }


def _line(r: dict[str, Any]) -> str:
    return (f"{r['export']:<9} {r['database']:<9} {r['dataset']:<11} {r['records']:>6} records  "
            f"same action {r['agreement']:7.2%} ({r['differ']:>3} differ)  "
            f"same flag {r['flag_agreement']:7.2%}  RE2 differs on {r['differ_from_re2']}  "
            f"flagged {r['export_flagged']:>3} vs {r['wildcli_flagged']:>3}  "
            f"{r['rows_per_s']:>6} rows/s (wildcli {r['wildcli_rows_per_s']})")


def _duckdb_engine() -> Engine | None:
    try:
        import duckdb
    except ImportError:
        print("sql bench: DuckDB skipped: pip install duckdb")
        return None

    def run(script: str, rows: Rows) -> Timed:
        conn = duckdb.connect()
        conn.execute(script)
        return duckdb_actions(conn, rows)

    return run


def _postgres_engine(server: Any) -> Engine:
    def run(script: str, rows: Rows) -> Timed:
        with server.connect() as conn:
            conn.execute(script)
            return postgres_actions(conn, rows)

    return run


def _datasets() -> list[tuple[Dataset, Rows]]:
    found = []
    for dataset in DATASETS:
        if dataset.path.is_file():
            found.append((dataset, read(dataset)))
        else:
            print(f"sql bench: {dataset.name} skipped: {dataset.path} not found (set WILDCLI_SHARED)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--no-variants", action="store_true", help="only the default export")
    parser.add_argument("--json", type=Path, default=OUT, help=f"where the figures go (default {OUT})")
    args = parser.parse_args(argv)

    lexicon = load_lexicon()
    matcher = Matcher(lexicon)
    matcher.find("warm up")  # builds the automaton outside the timing
    datasets = _datasets()
    reference = {d.name: wildcli_actions(matcher, rows) for d, rows in datasets}
    exports = [("default", ExportOptions())]
    if not args.no_variants:
        exports.append(("variants", ExportOptions(variants=True)))
    engines: dict[SqlDialect, Engine] = {}
    duck = _duckdb_engine()
    if duck is not None:
        engines[SqlDialect.DUCKDB] = duck
    folder = binaries()
    if folder is None:
        print(f"sql bench: PostgreSQL skipped: {MISSING}")
    results: list[dict[str, Any]] = []
    with running_server(folder) if folder else nullcontext() as server:
        if server is not None:
            engines[SqlDialect.POSTGRES] = _postgres_engine(server)
        for export, options in exports:
            for dialect, run in sorted(engines.items()):
                script = render_export(lexicon, ExportFormat.SQL, _with_dialect(options, dialect)).texts()
                rules = RegexRules(read_rules(script), "NFKC" if dialect is SqlDialect.POSTGRES else "NFC")
                for dataset, rows in datasets:
                    re2 = [Action.strongest(rules.apply(t).action for t in row) for row in rows]
                    results.append(score(export, dialect.value, dataset.name, run(script, rows),
                                         reference[dataset.name], re2))
                    print(_line(results[-1]), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    figures = {"lexicon_version": lexicon.version, "results": results}
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"sql bench: figures in {args.json}")
    return 0


def _with_dialect(options: ExportOptions, dialect: SqlDialect) -> ExportOptions:
    return replace(options, render=RenderOptions(sql_dialect=dialect))


if __name__ == "__main__":
    raise SystemExit(main())
