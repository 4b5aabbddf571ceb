"""`make bench`: end-to-end scan throughput, memory and start-up against reference tools.

Everything is measured in the same run on the same files, so the ratios printed at the end
compare like with like on whatever machine runs this. Results go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import generate  # noqa: E402

WILDCLI = [sys.executable, "-m", "wildcli"]
READ_ONLY = [sys.executable, "-c", (
    "import sys\nfrom wildcli.readers import read_records\n"
    "for _ in read_records(sys.argv[1]): pass"
)]


@dataclass
class Measure:
    name: str
    seconds: float
    mb: float
    records: int
    peak_rss_mb: float
    runs: int
    cpu_seconds: float = 0.0
    """Median CPU time (user and system, the process and its children): unlike wall time, it
    hardly moves when other work shares the machine."""

    @property
    def mb_s(self) -> float:
        return self.mb / self.seconds if self.seconds else 0.0

    @property
    def records_s(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def timed(
    cmd: list[str], *, stdout: int | None = subprocess.DEVNULL, env: dict[str, str] | None = None,
    stdin: Path | None = None,
) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS (MB), exit status and CPU seconds (its workers included) of one run
    of `cmd` (reading `stdin`)."""
    started = time.perf_counter()
    with open(stdin or os.devnull, "rb") as given:
        proc = subprocess.Popen(cmd, stdin=given, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), cpu


def measure(
    name: str, cmd: list[str], mb: float, records: int, runs: int, stdin: Path | None = None
) -> Measure:
    results = [timed(cmd, stdin=stdin) for _ in range(runs)]
    bad = [code for _, _, code, _ in results if code not in (0, 1)]
    if bad:
        raise SystemExit(f"bench: {name} failed with exit code {bad[0]}: {' '.join(cmd)}")
    seconds = statistics.median(r[0] for r in results)
    return Measure(name, seconds, mb, records, max(r[1] for r in results), runs,
                   statistics.median(r[3] for r in results))


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def supports(option: str) -> bool:
    result = subprocess.run([*WILDCLI, "scan", "--help"], capture_output=True, text=True, check=True)
    return option in result.stdout


def export_terms(overlay: Path, out: Path) -> tuple[Path, Path]:
    """The blocklist as `wildcli export --format txt` writes it, and a case-folded copy."""
    terms = out / "terms.txt"
    subprocess.run([*WILDCLI, "export", "--format", "txt", "--lexicon", str(overlay),
                    "--output", str(terms)], check=True, capture_output=True)
    folded = out / "terms_cf.txt"
    folded.write_text(terms.read_text("utf-8").casefold(), "utf-8")
    return terms, folded


def head_file(path: Path, out: Path, mb: float) -> Path:
    """The first `mb` megabytes of `path` (whole lines), for tools too slow for the full file."""
    target = out / f"head_{int(mb)}mb_{path.name}"
    if not target.exists():
        limit = int(mb * 1e6)
        with path.open("rb") as src, target.open("wb") as dst:
            written = 0
            for line in src:
                if written + len(line) > limit:
                    break
                dst.write(line)
                written += len(line)
    return target


def naive_loop(corpus: Path, terms: Path, listings: int) -> Measure:
    """The obvious Python baseline: every term tested against every case-folded listing."""
    words = [t for t in terms.read_text("utf-8").splitlines() if t]
    texts = []
    with corpus.open(encoding="utf-8") as handle:
        for _, line in zip(range(listings), handle):
            record = json.loads(line)
            texts.append((record["title"] + "\n" + record["description"]).casefold())
    size = sum(len(t.encode()) for t in texts) / 1e6
    started = time.perf_counter()
    for text in texts:
        [w for w in words if w in text]
    return Measure("naive python loop (subset)", time.perf_counter() - started, size, listings, 0.0, 1)


_STARTUP = """
import os, sys, time
t = time.perf_counter()
from wildcli.match.cache import load_matcher
m = load_matcher(short_run=sys.argv[1] == "short")
m.find("warm up")
print(time.perf_counter() - t)
"""


def startup(runs: int) -> dict[str, float]:
    """Seconds to load the bundled lexicon and build the automaton (in-process, imports
    included) cold (no cache) and from the cache, and of a whole `wildcli --help`.

    Python runs with its bytecode cache, as an installed wheel does: some environments set
    PYTHONDONTWRITEBYTECODE, and compiling wildcli's modules again at every start would then
    add a quarter to the cached start."""
    python_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def inner(env: dict[str, str], mode: str) -> float:
        out = subprocess.run([sys.executable, "-c", _STARTUP, mode], env={**python_env, **env},
                             capture_output=True, text=True, check=True)
        return float(out.stdout)

    cache = HERE / "out" / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {"WILDCLI_CACHE_DIR": str(cache)}
    inner(env, "short")  # fills the cache
    return {
        "load_build_cold_s": statistics.median(inner({"WILDCLI_NO_CACHE": "1"}, "full") for _ in range(runs)),
        "load_build_cached_s": statistics.median(inner(env, "short") for _ in range(runs)),
        "help_s": statistics.median(timed([*WILDCLI, "--help"], env=python_env)[0] for _ in range(runs)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE", "full"), choices=["small", "full"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    paths = generate(args.out, args.size)
    jsonl, csv_path, overlay = paths["jsonl"], paths["csv"], paths["overlay"]
    records = count_lines(jsonl)
    mb_jsonl, mb_csv = jsonl.stat().st_size / 1e6, csv_path.stat().st_size / 1e6
    jobs = os.cpu_count() or 1
    scan = [*WILDCLI, "scan", "--lexicon", str(overlay), "--format", "jsonl", "--output", os.devnull,
            "--no-progress"]
    has_jobs = supports("--jobs")
    # Build the matcher caches (overlay and bundled) before timing, so that the first row
    # measured does not pay for a compile the others are spared.
    sample = str(HERE.parent / "examples" / "listings.jsonl")
    timed([*scan, sample])
    timed([arg for arg in scan if arg not in ("--lexicon", str(overlay))] + [sample])
    results: list[Measure] = []
    for label, path, mb in (("jsonl", jsonl, mb_jsonl), ("csv", csv_path, mb_csv)):
        extra = ["--jobs", "1"] if has_jobs else []
        results.append(measure(f"wildcli scan {label}, 1 job", [*scan, str(path), *extra], mb, records, args.runs))
        # The same bytes on standard input take the streaming readers (no columnar stage): the
        # reference the columnar stage is measured against, in the same run.
        stdin = [*scan, "--input-format", label, "-", *extra]
        results.append(measure(f"wildcli scan {label}, 1 job, streaming", stdin, mb, records, args.runs,
                               stdin=path))  # fmt: skip
        if label == "jsonl":
            bundled = [arg for arg in scan if arg not in ("--lexicon", str(overlay))]
            for name, given in (("", str(path)), (", streaming", "-")):
                results.append(measure(f"wildcli scan jsonl, 1 job, bundled lexicon only{name}",
                                       [*bundled, given, *extra], mb, records, args.runs,
                                       stdin=path if given == "-" else None))  # fmt: skip
        if has_jobs and jobs > 1:
            results.append(measure(f"wildcli scan {label}, {jobs} jobs", [*scan, str(path), "--jobs", str(jobs)],
                                   mb, records, args.runs))
    # How much of a scan reading alone takes: wildcli's own readers, no matching.
    for label, path, mb in (("jsonl", jsonl, mb_jsonl), ("csv", csv_path, mb_csv)):
        results.append(measure(f"reading records only, {label}", [*READ_ONLY, str(path)], mb, records, args.runs))
    terms, folded_terms = export_terms(overlay, args.out)
    rg = shutil.which("rg")
    if rg:
        folded_corpus = args.out / f"folded_{jsonl.name}"
        if not folded_corpus.exists():
            folded_corpus.write_text(jsonl.read_text("utf-8").casefold(), "utf-8")
        results.append(measure("rg -F -c -f (case-folded text and terms)",
                               [rg, "-F", "-c", "-f", str(folded_terms), str(folded_corpus)],
                               mb_jsonl, records, args.runs))
        head = head_file(jsonl, args.out, 5.0)
        results.append(measure("rg -F -i -c -f (first 5 MB)", [rg, "-F", "-i", "-c", "-f", str(terms), str(head)],
                               head.stat().st_size / 1e6, count_lines(head), 1))
    else:
        print("bench: ripgrep not found; install it with `apt-get install ripgrep` for the reference rows")
    results.append(naive_loop(jsonl, folded_terms, 2000))
    report(results, startup(max(args.runs, 3)), args.out, args.size)


def report(results: list[Measure], start: dict[str, float], out: Path, size: str) -> None:
    print(f"{'measure':60} {'s':>8} {'MB/s':>8} {'rec/s':>10} {'RSS MB':>8} {'CPU s':>8}")
    for m in results:
        print(f"{m.name:60} {m.seconds:8.2f} {m.mb_s:8.1f} {m.records_s:10.0f} {m.peak_rss_mb:8.0f} "
              f"{m.cpu_seconds:8.2f}")  # fmt: skip
    by_name = {m.name: m for m in results}
    ratios: dict[str, float] = {}
    one = by_name.get("wildcli scan jsonl, 1 job")
    for m in results:
        if one and m.name.startswith("rg "):
            ratios[f"wildcli 1 job vs {m.name}"] = one.mb_s / m.mb_s
        if one and m.name.startswith("wildcli scan jsonl, ") and " jobs" in m.name:
            ratios[f"{m.name} vs 1 job"] = m.mb_s / one.mb_s
        reference = by_name.get(f"{m.name}, streaming")
        if reference is not None:
            ratios[f"{m.name} (columnar stage) vs streaming readers"] = m.mb_s / reference.mb_s
            if m.cpu_seconds:
                ratios[f"{m.name} (columnar stage) vs streaming readers, CPU time"] = (
                    reference.cpu_seconds / m.cpu_seconds
                )
    for name, value in ratios.items():
        print(f"ratio {name}: {value:.2f}x")
    for name, seconds in start.items():
        print(f"{name}: {seconds:.3f}")
    payload = {"size": size, "results": [asdict(m) | {"mb_s": m.mb_s, "records_s": m.records_s} for m in results],
               "ratios": ratios, "startup": start}
    (out / "results.json").write_text(json.dumps(payload, indent=2), "utf-8")
    print(f"results written to {out / 'results.json'}")


if __name__ == "__main__":
    main()
