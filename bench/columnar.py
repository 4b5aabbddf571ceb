"""Scanning Parquet and Arrow IPC against the same rows as JSON Lines, in the same run.

The bench corpus (bench/generate.py), `--copies` times over, is written as JSON Lines, Parquet
(in one row group: a million rows to a group, as warehouses write them) and an Arrow IPC file;
each is scanned by one process with the bench overlay, and read without matching: median CPU
seconds of `--runs`. Prints the rates against JSON Lines and each scan's peak RSS, which must stay within
300 MB (a row group's pages are streamed, not its column chunks read whole). Needs pyarrow
(the `parquet` extra).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import generate  # noqa: E402
from bench.run import WILDCLI  # noqa: E402

PEAK_RSS_MB = 300
FILES = {"jsonl": "listings.jsonl", "parquet": "listings.parquet", "arrow": "listings.arrow"}


def convert(jsonl: Path, out: Path, copies: int) -> dict[str, Path]:
    """The corpus `copies` times over as JSON Lines, Parquet (row groups of a million rows) and
    an Arrow IPC file (batches of 10,000 rows)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    table = pa.concat_tables([pj.read_json(jsonl)] * copies)
    paths = {name: out / file for name, file in FILES.items()}
    with paths["jsonl"].open("wb") as handle:
        for _ in range(copies):
            handle.write(jsonl.read_bytes())
    pq.write_table(table, paths["parquet"], row_group_size=1_000_000)
    with ipc.new_file(str(paths["arrow"]), table.schema) as writer:
        writer.write_table(table, max_chunksize=10_000)
    return paths


READ = [sys.executable, "-c", "import sys\nfrom wildcli.readers import read_records\n"
        "for _ in read_records(sys.argv[1]): pass"]  # fmt: skip


def timed(args: list[str]) -> tuple[float, float, int]:
    """CPU seconds (user and system: other work on a shared machine does not count), peak RSS
    (MB) and exit status of one run of `args`."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def median_run(args: list[str], runs: int) -> tuple[float, float]:
    """Median CPU seconds and largest peak RSS (MB) of `args`."""
    results = [timed(args) for _ in range(runs)]
    if any(status != 0 for _, _, status in results):
        raise SystemExit(f"columnar: {' '.join(args[2:])} failed: exit {results[-1][2]}")
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--convert-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = generate(HERE / "out", args.size)
    if args.convert_into is not None:
        convert(paths["jsonl"], args.convert_into, args.copies)
        return 0
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        # In a child: a process started later counts the peak RSS of its parent at the fork as its
        # own, and the tables converted here would be in it.
        subprocess.run([sys.executable, __file__, "--size", args.size, "--copies", str(args.copies),
                        "--convert-into", tmp], check=True)  # fmt: skip
        converted = {name: Path(tmp) / file for name, file in FILES.items()}
        scans: dict[str, tuple[float, float]] = {}
        reads: dict[str, tuple[float, float]] = {}
        for name, path in converted.items():
            scan = [*WILDCLI, "scan", str(path), "--jobs", "1", "--lexicon", str(paths["overlay"]),
                    "--format", "jsonl"]  # fmt: skip
            scans[name] = median_run(scan, args.runs)
            reads[name] = median_run([*READ, str(path)], args.runs)
            size = path.stat().st_size / 1e6
            print(f"{name} ({size:.0f} MB): scan {scans[name][0]:.2f} CPU s, peak {scans[name][1]:.0f} MB; "
                  f"read only {reads[name][0]:.2f} CPU s, peak {reads[name][1]:.0f} MB")
            failed = failed or scans[name][1] > PEAK_RSS_MB
        for name in ("parquet", "arrow"):
            scan_ratio, read_ratio = scans["jsonl"][0] / scans[name][0], reads["jsonl"][0] / reads[name][0]
            print(f"{name} against the same rows as JSON Lines: scan {scan_ratio:.2f}x as fast, "
                  f"read only {read_ratio:.2f}x")
    print(f"peak RSS target: <= {PEAK_RSS_MB} MB per scan" + (": MISSED" if failed else ": met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
