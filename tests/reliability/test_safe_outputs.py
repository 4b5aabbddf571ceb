"""Outputs that cannot be half-written, run by a spreadsheet, drive a terminal or lose evidence.

Listing text is attacker-controlled: a seller can put terminal escapes, bidi overrides and
spreadsheet formulas in a title, a record id or a CSV column name.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import FIXTURE, run
from tests.conftest import DATA, ROOT
from wildcli.atomic import atomic_writer, write_atomic
from wildcli.errors import OutputError
from wildcli.safety import neutralize_formula, restore_formula, strip_controls

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's window title
CLEAR = "\x1b[2J"  # clears the screen
RLO = "\u202e"  # right-to-left override (Trojan Source)
CSI_C1 = "\x9b31m"  # the one-byte C1 form of ESC [
ZWSP = "\u200b"
HOSTILE = f"carved ivory {OSC_TITLE}{CLEAR} {RLO}tusk{chr(0x202C)} {CSI_C1}\x00end"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _dump(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


# --- atomic files ---


class _BreaksMidWrite:
    """A file handle that writes half of the first chunk it is given, then fails with `error`."""

    def __init__(self, handle: io.TextIOWrapper, error: BaseException) -> None:
        self._handle = handle
        self._error = error

    def write(self, text: str) -> int:
        self._handle.write(text[: len(text) // 2])
        self._handle.flush()  # the half really reaches the temporary file
        raise self._error

    def __enter__(self) -> _BreaksMidWrite:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@pytest.fixture(params=["disk full", "interrupt"])
def crash(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> BaseException:
    """Make every atomically written file fail halfway through its first write."""
    error: BaseException = OSError(errno.ENOSPC, "No space left on device")
    if request.param == "interrupt":
        error = KeyboardInterrupt()
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real(fd, *args, **kwargs)
        return _BreaksMidWrite(handle, error) if "w" in (args[0] if args else kwargs.get("mode", "r")) else handle

    monkeypatch.setattr("wildcli.atomic.os.fdopen", fdopen)
    return error


def _scan_to(fmt: str) -> Callable[[Path, Path], list[str]]:
    def args(tmp: Path, out: Path) -> list[str]:
        dump = _dump(tmp, [{"id": f"L{i}", "title": f"carved ivory {i}"} for i in range(50)])
        return ["scan", str(dump), "--format", fmt, "--output", str(out), *FIXTURE]

    return args


def _baseline(tmp: Path, out: Path) -> list[str]:
    dump = _dump(tmp, [{"id": "L1", "title": "carved ivory"}])
    return ["scan", str(dump), "--format", "jsonl", "--write-baseline", str(out), *FIXTURE]


def _export(tmp: Path, out: Path) -> list[str]:
    return ["export", "--format", "txt", "--output", str(out), *FIXTURE]


def _fmt(tmp: Path, out: Path) -> list[str]:
    return ["fmt", str(out)]


WRITERS: dict[str, Callable[[Path, Path], list[str]]] = {
    **{f"scan --format {f} --output": _scan_to(f) for f in ("jsonl", "json", "csv", "table", "html")},
    "scan --write-baseline": _baseline,
    "export --output": _export,
    "fmt": _fmt,
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_crash_mid_write_keeps_the_previous_file_and_leaves_no_temp_file(
    writer: str, crash: BaseException, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "result.yaml"
    if writer == "fmt":  # fmt rewrites a lexicon file in place: its previous text must survive
        shutil.copytree(DATA / "lexicons" / "issues" / "WL008", tmp_path / "lex")
        out = next((tmp_path / "lex").rglob("en.yaml"))
        out_dir = out.parent
    previous = out.read_bytes() if out.exists() else b"previous content\n"
    out.write_bytes(previous)
    before = set(os.listdir(out_dir))
    result = run(*WRITERS[writer](tmp_path, out))
    assert result.exit_code != 0
    assert out.read_bytes() == previous
    assert set(os.listdir(out_dir)) == before  # no .result.yaml.XXXX.tmp left behind
    assert "Traceback" not in result.stderr
    if isinstance(crash, OSError) and writer.startswith("scan"):
        assert result.exit_code == 73
        assert result.stderr.splitlines()[-1] == f"error: {out}: cannot write: no space left on device"


def test_atomic_writer_keeps_the_old_file_on_any_exception(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    def crash() -> None:
        with atomic_writer(target) as handle:
            handle.write("half of the new")
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash()
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path, {"out.txt"}) == []


def test_killed_writer_never_exposes_a_partial_file(tmp_path: Path) -> None:
    # SIGKILL gives no chance to clean up: the temporary file may stay, the target is never partial.
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    code = (
        "import os, sys\nfrom wildcli.atomic import atomic_writer\n"
        f"with atomic_writer({str(target)!r}) as h:\n"
        "    h.write('x' * 100000); h.flush(); os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert proc.returncode == -9
    assert target.read_text() == "old\n"
    assert all(re.fullmatch(r"\.out\.txt\..+\.tmp", name) for name in _leftovers(tmp_path, {"out.txt"}))


def test_new_file_gets_the_usual_permissions_and_a_replaced_file_keeps_its_own(tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    write_atomic(new, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    write_atomic(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target.name)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert target.read_text() == "new\n"


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_output_to_a_device_writes_through_it_and_never_replaces_it() -> None:
    # Replacing /dev/null with a regular file (as root, it is allowed) breaks the whole machine.
    before = os.stat("/dev/null")
    write_atomic("/dev/null", "discarded\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_output_to_a_directory_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"), atomic_writer(tmp_path) as handle:
        handle.write("x")


# --- spreadsheets ---


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(prefix: str, tmp_path: Path) -> None:
    payload = f"{prefix}cmd|' /C calc'!A0"
    dump = tmp_path / "formula.csv"
    with dump.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", f"{prefix}title"])
        writer.writerow([payload, f"{payload} carved ivory{payload}"])
    result = run("scan", str(dump), "--format", "csv", *FIXTURE)
    assert result.exit_code == 0, result.stderr
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    (row,) = rows
    cells = dict(zip(header, row, strict=True))
    trimmed = prefix in "\t\r"  # the reader trims ids and column names: nothing left to neutralise
    assert cells["record"] == (payload.strip() if trimmed else "'" + payload)
    assert cells["field"] == ("title" if trimmed else f"'{prefix}title")
    assert cells["before"] == "'" + payload + " carved "
    assert cells["after"] == "'" + payload
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_formula_neutralising_leaves_ordinary_text_alone() -> None:
    assert neutralize_formula("carved ivory") == "carved ivory"
    assert neutralize_formula("") == ""
    assert neutralize_formula(" =1+1") == " =1+1"  # not a formula in Excel, LibreOffice or Sheets
    for prefix in "=+-@\t\r":
        assert neutralize_formula(prefix + "1+1") == "'" + prefix + "1+1"
    # Reading the spreadsheet dialect back gives each value as it was (but a value that itself
    # starts with a quote and a formula character, which the scheme cannot tell apart).
    for value in ("carved ivory", "=1+1", "'quoted", "", "@ivory_dealer"):
        assert restore_formula(neutralize_formula(value)) == value


# --- terminals ---


def test_table_output_strips_terminal_and_bidi_controls_from_listing_text(tmp_path: Path) -> None:
    dump = tmp_path / f"dump{CLEAR}.csv"
    with dump.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", f"ti{CLEAR}tle{RLO}"])
        writer.writerow([f"E{OSC_TITLE}", HOSTILE.replace("\x00", "")])
    result = run("scan", str(dump), *FIXTURE)
    assert result.exit_code == 0, result.stderr
    assert "carved ivory" in result.stdout
    assert RAW_CONTROLS.findall(result.stdout) == []
    assert "\ufffd" in result.stdout  # replaced visibly, not silently dropped


def test_error_lines_strip_controls_too(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"id": "A", "title": "carved ivory"}\n', "utf-8")
    result = run("scan", str(dump), "--format", "jsonl", "--fields", f"title,x{OSC_TITLE}{RLO}", *FIXTURE)
    assert result.exit_code == 65
    assert RAW_CONTROLS.findall(result.stderr) == []
    assert result.stderr.splitlines()[0] == f"error: {dump}: field 'x\ufffd]0;pwned\ufffd\ufffd' not found in any record"


def test_check_text_output_strips_controls() -> None:
    result = run("check", HOSTILE.replace("\x00", ""), *FIXTURE)
    assert result.exit_code == 0
    assert "ivory" in result.stdout
    assert RAW_CONTROLS.findall(result.stdout) == []


def test_check_json_output_escapes_bidi_and_c1_controls() -> None:
    result = run("check", "--json", HOSTILE.replace("\x00", ""), *FIXTURE)
    assert RAW_CONTROLS.findall(result.stdout) == []


def test_strip_controls_keeps_text_and_marks_each_control() -> None:
    assert strip_controls("a\tb\nc") == "a\tb\nc"
    assert strip_controls(f"x{OSC_TITLE}y") == "x\ufffd]0;pwned\ufffdy"
    assert strip_controls(f"{RLO}abc\u2066") == "\ufffdabc\ufffd"


# --- evidence in JSON is exact ---


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_json_evidence_is_the_original_text_exactly(fmt: str, tmp_path: Path) -> None:
    texts = [HOSTILE, "x" * 60 + "carved ivory" + ZWSP * 3 + "y" * 60, "Ｃａｒｖｅｄ ｉｖｏｒｙ", f"carved i{ZWSP}vory"]
    dump = _dump(tmp_path, [{"id": f"T{i}", "title": t} for i, t in enumerate(texts)])
    result = run("scan", str(dump), "--format", fmt, *FIXTURE)
    assert result.exit_code == 0, result.stderr
    findings = [json.loads(line) for line in result.stdout.splitlines()] if fmt == "jsonl" else json.loads(
        result.stdout)
    assert {f["record"] for f in findings} == {"T0", "T1", "T2", "T3"}
    for f in findings:
        text = texts[int(f["record"][1:])]
        assert text[f["start"]:f["end"]] == f["matched"]
        assert f["before"] == text[max(0, f["start"] - 40):f["start"]]
        assert f["after"] == text[f["end"]:f["end"] + 40]
    assert "\x1b" not in result.stdout  # C0 controls are \u-escaped by json.dumps
    assert "\x00" not in result.stdout


def test_json_reports_escape_bidi_and_c1_controls(tmp_path: Path) -> None:
    dump = _dump(tmp_path, [{"id": "A", "title": HOSTILE}])
    result = run("scan", str(dump), "--format", "jsonl", *FIXTURE)
    assert RAW_CONTROLS.findall(result.stdout) == []


# --- full disks ---

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


def _cli(args: list[str], stdout: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "wildcli", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, cwd=ROOT, env=env, timeout=60, check=False)


@needs_dev_full
@pytest.mark.parametrize("fmt", ["table", "jsonl", "json", "csv", "html"])
def test_stdout_on_a_full_disk_is_one_line_and_exit_73(fmt: str, tmp_path: Path) -> None:
    dump = _dump(tmp_path, [{"id": f"L{i}", "title": "carved ivory"} for i in range(3000)])
    with open("/dev/full", "w") as full:
        proc = _cli(["scan", str(dump), "--format", fmt, *FIXTURE], full)
    assert proc.returncode == 73, proc.stderr
    assert proc.stderr.splitlines() == ["error: <stdout>: cannot write: no space left on device"]


@needs_dev_full
def test_output_file_on_a_full_disk_is_one_line_and_exit_73_and_the_device_stays(tmp_path: Path) -> None:
    dump = _dump(tmp_path, [{"id": "L1", "title": "carved ivory"}])
    before = os.stat("/dev/full")
    proc = _cli(["scan", str(dump), "--format", "jsonl", "--output", "/dev/full", *FIXTURE], subprocess.PIPE)
    assert proc.returncode == 73
    assert proc.stderr.splitlines() == ["error: /dev/full: cannot write: no space left on device"]
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode)
    assert after.st_rdev == before.st_rdev


@needs_dev_full
@pytest.mark.parametrize("args", [["check", "carved ivory", *FIXTURE], ["stats", *FIXTURE]], ids=["check", "stats"])
def test_other_commands_on_a_full_disk_are_one_line_and_exit_73(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = _cli(args, full)
    assert proc.returncode == 73
    assert proc.stderr.splitlines() == ["error: cannot write output: no space left on device"]


# --- a scan never replaces a good file with nothing, nor an input with its own report ---


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "table", "html"])
def test_a_scan_that_reads_nothing_leaves_the_previous_output_and_baseline(fmt: str, tmp_path: Path) -> None:
    out, baseline = tmp_path / "report.out", tmp_path / "base.json"
    out.write_text("previous report\n", "utf-8")
    baseline.write_text('{"previous": true}\n', "utf-8")
    result = run("scan", str(tmp_path / "gone.csv"), str(tmp_path / "gone2.jsonl"), "--format", fmt,
                 "-o", str(out), "--write-baseline", str(baseline), *FIXTURE)  # fmt: skip
    assert result.exit_code == 66
    assert f"note: {out} and {baseline} left unchanged: no input could be read" in result.stderr.splitlines()
    assert out.read_text("utf-8") == "previous report\n"
    assert baseline.read_text("utf-8") == '{"previous": true}\n'
    assert _leftovers(tmp_path, {"report.out", "base.json"}) == []


def test_a_scan_with_one_missing_input_still_writes_the_findings_of_the_others(tmp_path: Path) -> None:
    dump = _dump(tmp_path, [{"id": "1", "title": "carved ivory tusk"}])
    out = tmp_path / "report.jsonl"
    out.write_text("previous report\n", "utf-8")
    result = run("scan", str(tmp_path / "gone.csv"), str(dump), "--format", "jsonl", "-o", str(out), *FIXTURE)
    assert result.exit_code == 66
    assert [json.loads(line)["record"] for line in out.read_text("utf-8").splitlines()] == ["1"]


def _same_file_ways(tmp_path: Path, dump: Path) -> list[str]:
    (tmp_path / "link.jsonl").symlink_to(dump)
    os.link(dump, tmp_path / "hard.jsonl")
    (tmp_path / "sub").mkdir()
    return [str(dump), str(tmp_path / "sub" / ".." / dump.name), str(tmp_path / "link.jsonl"),
            str(tmp_path / "hard.jsonl")]


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_an_output_that_is_one_of_the_inputs_is_refused_and_the_dump_kept(option: str, tmp_path: Path) -> None:
    dump = _dump(tmp_path, [{"id": "1", "title": "carved ivory tusk"}])
    before = dump.read_bytes()
    for target in _same_file_ways(tmp_path, dump):
        other = _dump(tmp_path / "sub", [{"id": "2", "title": "oak table"}])
        result = run("scan", str(other), target, "--format", "jsonl", option, target, *FIXTURE)
        assert result.exit_code == 2, target
        assert result.stderr.splitlines() == [
            f"error: {option} {target} is also an input: writing it would replace the dump"]
        assert dump.read_bytes() == before
