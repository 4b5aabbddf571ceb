"""Benchmark: the contributor loop on the bundled lexicon, each step against its target.

    python bench/contrib.py [--runs 3] [--reference REV] [--strict]

Times, as a contributor runs them (a new process each, median of --runs): a whole
`wildcli lint` with an empty cache and with a warm one, `wildcli lint FILE` on one file just
changed (what the pre-commit hook runs: the cache holds the state before the change, so the
lexicon is compiled again) and on an unchanged one, `wildcli add` into a copy of the lexicon,
and `wildcli fmt --check`. With --reference, the same steps run the
wildcli of that git revision (its package extracted with `git archive` into a temporary folder),
in the same run on the same copy, and the ratios are printed; `lint FILE`, which older versions
lack, is then compared with the whole lint they ran instead. Prints a table, then one JSON
object (also written to bench/out/contrib.json). Targets are on wall time; CPU time is printed
too, being steadier on a busy machine. A missed target is printed, and with --strict it also
makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FILE = Path("ivory") / "en.yaml"
"""The file changed between runs of the one-file lint: one of the largest of the lexicon."""
EDIT = ("Carved", "Karved")
"""The change: one letter of an example (the lexicon's digest changes, its cache entry with it)."""

TARGETS = {
    "lint": 3.0, "lint (warm cache)": 3.0, "lint one changed file": 1.0, "lint one file (warm cache)": 1.0,
    "add": 2.0, "fmt --check": 2.0,
}
"""Seconds; the issue's targets (fmt --check had none: the same as add's)."""


@dataclass
class Step:
    name: str
    seconds: float
    cpu: float
    target: float
    reference: float | None = None
    reference_cpu: float | None = None
    identical: bool | None = None  # the reference printed the same (None: not compared)

    @property
    def met(self) -> bool:
        return self.seconds <= self.target


class Wildcli:
    """One wildcli to time: this checkout's, or a reference revision's package on PYTHONPATH."""

    def __init__(self, package_parent: Path | None, cache: Path) -> None:
        unset = ("WILDCLI_NO_CACHE", "PYTHONDONTWRITEBYTECODE")  # as an installed wildcli runs
        self.env = {k: v for k, v in os.environ.items() if k not in unset}
        self.env["WILDCLI_CACHE_DIR"] = str(cache)
        if package_parent is not None:
            self.env["PYTHONPATH"] = str(package_parent)
        self.cpu = 0.0
        """CPU seconds of the last run: on a busy machine, less noisy than wall time."""

    def run(self, *args: str, cwd: Path, fresh_cache: bool = False) -> tuple[float, bytes]:
        """Wall seconds and stdout of one `wildcli ARGS` (exit 0 or 1: lint findings are fine);
        its CPU seconds are added to `self.cpu`."""
        if fresh_cache:
            shutil.rmtree(self.env["WILDCLI_CACHE_DIR"], ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "wildcli", *args], cwd=cwd, env=self.env,
                              capture_output=True, check=False)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if done.returncode not in (0, 1):
            raise SystemExit(f"bench: wildcli {' '.join(args)} failed ({done.returncode}): "
                             f"{done.stderr.decode(errors='replace').strip()}")
        return seconds, done.stdout


def extract(revision: str, into: Path) -> Path:
    """The `wildcli` package of a git revision, extracted under `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision, "wildcli"],
                             capture_output=True, check=True).stdout
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(into, filter="data")
    return into


Figure = tuple[float, float]
"""Wall and CPU seconds of one run."""


def steps(tool: Wildcli, work: Path, *, files: bool) -> dict[str, Callable[[], Figure]]:
    """One timed run of each step for one wildcli (each sets up what it needs first)."""

    def measured(*args: str, fresh_cache: bool = False) -> Figure:
        wall = tool.run(*args, cwd=work, fresh_cache=fresh_cache)[0]
        return wall, tool.cpu

    lexicon = work / "lexicons"
    changed = lexicon / FILE
    original = changed.read_text("utf-8")
    one = [str(Path("lexicons") / FILE)] if files else ["lexicons"]
    counter = iter(range(1_000_000))

    def lint_one_changed() -> Figure:
        tool.run("lint", *one, cwd=work)  # the cache as the last lint before the edit left it
        changed.write_text(original.replace(EDIT[0], EDIT[1], 1), "utf-8")
        try:
            return measured("lint", *one)
        finally:
            changed.write_text(original, "utf-8")

    def add() -> Figure:
        target = work / "added"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(lexicon, target)
        return measured("add", "--lexicon", str(target), "--concept", "ivory", "--lang", "en",
                        "--term", f"benchmark tusk {next(counter)}", "--kind", "name",
                        "--source-title", "Benchmark entry", "--source-url", "https://example.org/bench",
                        "--source-year", "2026", "--example", "benchmark tusk for sale")

    def warm(*args: str) -> Callable[[], Figure]:
        def once() -> Figure:
            tool.run(*args, cwd=work)
            return measured(*args)
        return once

    return {
        "lint": lambda: measured("lint", "lexicons", fresh_cache=True),
        "lint (warm cache)": warm("lint", "lexicons"),
        "lint one changed file": lint_one_changed,
        "lint one file (warm cache)": warm("lint", *one),
        "add": add,
        "fmt --check": lambda: measured("fmt", "--check", "lexicons"),
    }


def timed(tools: list[dict[str, Callable[[], Figure]]], runs: int) -> list[dict[str, Figure]]:
    """The median wall and CPU seconds of each step for each wildcli; their runs alternate, so
    that a change in the machine's load hits them alike."""
    figures: list[dict[str, list[Figure]]] = [{name: [] for name in TARGETS} for _ in tools]
    for name in TARGETS:
        for _ in range(runs):
            for tool, into in zip(tools, figures, strict=True):
                into[name].append(tool[name]())
    return [{name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
             for name, values in f.items()} for f in figures]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference", metavar="REV", help="also time the wildcli of this git revision")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wildcli-contrib-") as tmp:
        work = Path(tmp) / "work"
        shutil.copytree(ROOT / "lexicons", work / "lexicons")
        tools = [Wildcli(None, Path(tmp) / "cache")]
        if args.reference:
            tools.append(Wildcli(extract(args.reference, Path(tmp) / "reference"), Path(tmp) / "cache-ref"))
        printed = [tool.run("lint", "lexicons", cwd=work)[1] for tool in tools]
        figures = timed([steps(tool, work, files=n == 0) for n, tool in enumerate(tools)], args.runs)
    current, reference = figures[0], figures[1] if len(figures) > 1 else None
    results = [
        Step(name, wall, cpu, TARGETS[name], reference[name][0] if reference else None,
             reference[name][1] if reference else None,
             (printed[1] == printed[0]) if reference and name == "lint" else None)
        for name, (wall, cpu) in current.items()
    ]
    header = f"{'step (bundled lexicon)':28} {'s':>6} {'cpu s':>6} {'target':>6}  {'met':4}"
    print(header + ("  ref s  ref cpu s  ratio (wall, cpu)" if reference else ""))
    for r in results:
        line = f"{r.name:28} {r.seconds:6.2f} {r.cpu:6.2f} {r.target:6.1f}  {'yes' if r.met else 'NO':4}"
        if r.reference is not None and r.reference_cpu is not None:
            line += (f" {r.reference:6.2f} {r.reference_cpu:10.2f}  {r.reference / r.seconds:4.1f}x, "
                     f"{r.reference_cpu / r.cpu:4.1f}x faster")
        print(line)
    if reference:
        same = results[0].identical
        print(f"whole lint output identical to {args.reference}'s: {'yes' if same else 'no (rules differ?)'}")
        print("(the reference has no `lint FILE`: its one-file figure is the whole lint its hook ran)")
    payload = {"reference": args.reference, "runs": args.runs,
               "steps": [asdict(r) | {"met": r.met} for r in results]}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "contrib.json").write_text(json.dumps(payload, indent=2), "utf-8")
    print(json.dumps(payload))
    missed = [r.name for r in results if not r.met]
    if missed:
        print(f"bench: target missed: {', '.join(missed)}")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
