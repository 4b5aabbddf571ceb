"""The hostile matrix, second round: lexicons that would match everything, outputs that must not be
clobbered, arguments that crashed or did nothing, forged log lines and options smuggled to git.

Every case runs the real command line in a fresh interpreter, from a scratch directory holding a
copy of the fixture lexicon (`lex/`) and a small dump whose two listings with findings are the
"good rows" (`good.jsonl`: records g1 and g2). Each checks: no traceback, the exact exit code
(README, "Exit codes"), the lines it must print, files it must leave byte for byte, and, where rows
apply, that every good row is still reported. The signal and closed-pipe cases, which need a
scan under way, are in test_interrupts.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, VALID_LEXICON

LEX = ["--no-bundled", "--lexicon", "lex"]
GOOD = '{"id": "g1", "title": "carved ivory tusk"}\n{"id": "p1", "title": "oak table"}\n' \
       '{"id": "g2", "title": "ngà voi thật"}\n'  # fmt: skip
PREVIOUS = "previous report\n"
SOURCED = "    sources:\n      - title: Fixture\n"


def _add_term(text: str, *, extra: str = "") -> Callable[[Path], None]:
    """Append an approved term to the fixture's English ivory file."""

    def setup(tmp: Path) -> None:
        escaped = text.encode("unicode_escape").decode("ascii").replace('"', '\\"')
        with (tmp / "lex" / "ivory" / "en.yaml").open("a", encoding="utf-8") as out:
            out.write(f'  - term: "{escaped}"\n    kind: name\n    status: approved\n{SOURCED}{extra}')

    return setup


def _rename(old: str, new: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / "lex" / old).rename(tmp / "lex" / new)

    return setup


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        file = tmp / "lex" / path
        file.write_text(file.read_text("utf-8").replace(old, new, 1), "utf-8")

    return setup


def _link(name: str, to: str, *, hard: bool = False) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        if hard:
            os.link(tmp / to, tmp / name)
        else:
            (tmp / name).symlink_to(tmp / to)

    return setup


def _fmt_link_out(tmp: Path) -> None:
    (tmp / "outside.yaml").write_text("terms:\n- term: b\n  kind: name\n  status: proposed\n"
                                      "- term: a\n  kind: name\n  status: proposed\n", "utf-8")  # fmt: skip
    (tmp / "lex" / "ivory" / "en.yaml").unlink()
    (tmp / "lex" / "ivory" / "en.yaml").symlink_to(tmp / "outside.yaml")


def _bad_rows_named(name: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).write_text(GOOD + '{"id": "b1", "title": \n', "utf-8")

    return setup


def _write(name: str, text: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).write_text(text, "utf-8")

    return setup


def _needs_git(tmp: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")


@dataclass(frozen=True)
class Case:
    name: str
    args: list[str]
    code: int
    lines: list[str] = field(default_factory=list)
    """Lines stderr must hold, in this order (others may come between)."""
    setup: Callable[[Path], None] | None = None
    kept: tuple[str, ...] = ()
    """Files (relative to the scratch directory) that must be left byte for byte."""
    absent: tuple[str, ...] = ()
    """Files that must not exist afterwards (what an injected option would have written)."""
    rows: tuple[str, ...] | None = None
    """Record ids the JSON Lines on stdout must report (None: stdout is not findings)."""
    env: dict[str, str] = field(default_factory=dict)
    stdout: str | None = None
    """Text stdout must contain."""
    lines_of: tuple[str, str, str] | None = None
    """(file, a line it must hold, a line it must not hold)."""

    def __str__(self) -> str:
        return self.name


def _gate(problem: str, count: int = 1) -> list[str]:
    errors = f"{count} lint error{'s' if count != 1 else ''}"
    return [f"error: {problem}",
            f"error: the lexicon has {errors}: fix the lexicon, or pass --ignore-lint-errors"]  # fmt: skip


WL017 = "has no letter, digit, emoji or currency sign and would match in almost every listing [WL017]"
NOT_A_REVISION = "is not a git revision (a branch, tag or commit; never starting with '-')"
NOT_TEXT = "is not an encoding of text files (try utf-8, latin-1, cp1252 or shift_jis)"
NO_FIELD = "error: --fields names no field: give at least one (comma-separated), or leave it out for the text-like columns"
SCAN = ["scan", "good.jsonl", "--format", "jsonl"]

CASES = [
    # --- lexicons that would match everything: refused by the gate, never matched ---
    Case("ellipsis term refused by scan", [*SCAN, "-o", "out.jsonl", *LEX], 78,
         _gate(f"lex/ivory/en.yaml:45: terms[3].term: '\u2026' {WL017}"), _add_term("\u2026"),
         kept=("out.jsonl",)),
    Case("dash and spaces refused by check", ["check", "carved ivory", *LEX], 78,
         _gate(f"lex/ivory/en.yaml:45: terms[3].term: ' - ' {WL017}"), _add_term(" - ")),
    Case("fullwidth solidus refused by export", ["export", "-f", "txt", "-o", "list.txt", *LEX], 78,
         _gate(f"lex/ivory/en.yaml:45: terms[3].term: '\uff0f' {WL017}"), _add_term("\uff0f"),
         absent=("list.txt",)),
    Case("combining marks alone refused", [*SCAN, *LEX], 78,
         ["error: lex/ivory/en.yaml:45: terms[3].term: '\u0301\u0301' is empty once invisible characters are "
          "removed and would match far too much [WL012]"], _add_term("\u0301\u0301")),
    Case("punctuation context refused", ["check", "carved ivory", *LEX], 78,
         _gate("lex/ivory/en.yaml:50: terms[3].context[0]: '//' has no letter, digit, emoji or currency sign "
               "and would count as context in almost every listing [WL017]"),
         _add_term("mammoth tusk", extra='    context: ["//"]\n')),
    Case("ignored lint errors: a dots term never matches, good rows kept",
         [*SCAN, *LEX, "--ignore-lint-errors"], 0, [], _add_term(". . ."), rows=("g1", "g2")),
    Case("ignored lint errors: a stop word never reaches the export",
         ["export", "-f", "txt", "--action", "block", "-o", "list.txt", *LEX, "--ignore-lint-errors"], 0,
         ["note: 1 terms with lint errors left out (--ignore-lint-errors)"],
         _add_term("the", extra="    severity: block\n"), lines_of=("list.txt", "elephant ivory", "the")),
    Case("concept directory ending in a newline", [*SCAN, *LEX], 78,
         ["error: lex/ivory\\n: concept directory names must be snake_case ids"], _rename("ivory", "ivory\n")),
    Case("language file ending in a carriage return", [*SCAN, *LEX], 78,
         ["error: lex/ivory/vi\\r.yaml: language files are named <BCP-47 tag>.yaml, e.g. vi.yaml or zh-Hans.yaml"],
         _rename("ivory/vi.yaml", "ivory/vi\r.yaml")),
    Case("label language ending in a newline", ["check", "ivory", *LEX], 78,
         ["error: lex/ivory/concept.yaml:6: labels.vi\\n: 'vi\\n' is not a BCP-47 language tag"],
         _edit("ivory/concept.yaml", "  vi: ", '  "vi\\n": ')),
    Case("fmt of a file linked out of the lexicon", ["fmt", "lex/ivory/en.yaml"], 78,
         ["error: lex/ivory/en.yaml: points outside its lexicon directory: not rewritten"], _fmt_link_out,
         kept=("outside.yaml",)),
    # --- outputs that must not be clobbered ---
    Case("missing input keeps the csv report", ["scan", "gone.csv", "--format", "csv", "-o", "out.jsonl", *LEX],
         66, ["error: gone.csv: no such file", "note: out.jsonl left unchanged: no input could be read"],
         kept=("out.jsonl",)),
    Case("two missing inputs keep the table report", ["scan", "a.csv", "b.jsonl", "-o", "out.jsonl", *LEX], 66,
         ["error: a.csv: no such file", "error: b.jsonl: no such file"], kept=("out.jsonl",)),
    Case("a directory as the only input keeps the report and the baseline",
         ["scan", "lex", "--format", "json", "-o", "out.jsonl", "--write-baseline", "base.json", *LEX], 66,
         ["error: lex: is a directory"], kept=("out.jsonl", "base.json")),
    Case("output naming the input by another path", [*SCAN, "-o", "./good.jsonl", *LEX], 2,
         ["error: --output ./good.jsonl is also an input: writing it would replace the dump"], kept=("good.jsonl",)),
    Case("output through a symlink to the input", [*SCAN, "-o", "alias.jsonl", *LEX], 2,
         ["error: --output alias.jsonl is also an input: writing it would replace the dump"],
         _link("alias.jsonl", "good.jsonl"), kept=("good.jsonl",)),
    Case("baseline over a hard link of the input", [*SCAN, "--write-baseline", "hard.jsonl", *LEX], 2,
         ["error: --write-baseline hard.jsonl is also an input: writing it would replace the dump"],
         _link("hard.jsonl", "good.jsonl", hard=True), kept=("good.jsonl", "hard.jsonl")),
    # --- arguments that crashed or did nothing ---
    Case("idna is no file encoding", [*SCAN, "--encoding", "idna", *LEX], 2, [f"error: --encoding 'idna' {NOT_TEXT}"]),
    Case("raw_unicode_escape is no file encoding", [*SCAN, "--encoding", "raw_unicode_escape", *LEX], 2,
         [f"error: --encoding 'raw_unicode_escape' {NOT_TEXT}"]),
    Case("unicode_escape in check --file", ["check", "--file", "good.jsonl", "--encoding", "unicode_escape", *LEX], 2,
         [f"error: --encoding 'unicode_escape' {NOT_TEXT}"]),
    Case("a bytes codec", [*SCAN, "--encoding", "zlib_codec", *LEX], 2, [f"error: --encoding 'zlib_codec' {NOT_TEXT}"]),
    Case("empty --fields with --fail-on-findings", [*SCAN, "--fields", "", "--fail-on-findings", *LEX], 2, [NO_FIELD]),
    Case("--fields of commas", [*SCAN, "--fields", ",, ,", *LEX], 2, [NO_FIELD]),
    Case("blank --fields in check --file", ["check", "--file", "good.jsonl", "--fields", " ", *LEX], 2, [NO_FIELD]),
    Case("--jobs 500 on a small dump", [*SCAN, "--jobs", "500", *LEX], 0, [], rows=("g1", "g2")),
    Case("scheduler without a port", [*SCAN, "--engine", "dask", "--scheduler", "nonsense", *LEX], 2,
         ["error: --scheduler 'nonsense' is not a scheduler address such as tcp://host:8786 "
          "(missing port number in address 'nonsense')"]),
    Case("scheduler with a port that is no number",
         [*SCAN, "--engine", "dask", "--scheduler", "tcp://host:eighty", *LEX], 2,
         ["error: --scheduler 'tcp://host:eighty' is not a scheduler address such as tcp://host:8786 "
          "(invalid literal for int() with base 10: 'eighty')"]),
    Case("ascii stdout, table", ["scan", "good.jsonl", *LEX], 0, [], env={"PYTHONIOENCODING": "ascii"},
         stdout="ngà voi"),
    Case("latin-1 stdout, check with Chinese", ["check", "象牙 ngà voi", *LEX], 0, [],
         env={"PYTHONIOENCODING": "latin-1"}, stdout="'ngà voi'"),
    Case("ascii stdout and stderr, a missing non-ASCII file", ["scan", "nö象.csv", *LEX], 66,
         ["error: n\\xf6\\u8c61.csv: no such file"], env={"PYTHONIOENCODING": "ascii"}),
    Case("latin-1 stdout, JSON Lines", [*SCAN, *LEX], 0, [], env={"PYTHONIOENCODING": "latin-1"},
         rows=("g1", "g2")),
    # --- forged log lines ---
    Case("a file name with a newline and an error: line in it",
         ["scan", "gone\nerror: forged.csv", *LEX], 66, ["error: gone\\nerror: forged.csv: no such file"]),
    Case("bad rows of a file whose name holds a carriage return",
         ["scan", "dump\rerror: forged.jsonl", "--format", "jsonl", *LEX], 65,
         ["error: dump\\rerror: forged.jsonl:4:1: not valid JSON: unexpected end of data"],
         _bad_rows_named("dump\rerror: forged.jsonl"), rows=("g1", "g2")),
    Case("a repeated JSON key holding a newline and an error: line",
         ["scan", "keys.jsonl", "--format", "jsonl", *LEX], 65, [], _write("keys.jsonl",
         '{"id": "k1", "ti\\nerror: forged": "carved ivory", "ti\\nerror: forged": "tusk"}\n'), rows=("k1",)),
    Case("a --fields path with a line separator", [*SCAN, "--fields", "title\u2028error: forged", *LEX], 65,
         ["error: good.jsonl: field 'title\\u2028error: forged' not found in any record"]),
    # --- options smuggled to git ---
    Case("diff git:--output=FILE", ["diff", "git:--output=pwned", "lex"], 2,
         [f"error: '--output=pwned' {NOT_A_REVISION}"], _needs_git, absent=("pwned", "pwned:lex")),
    Case("diff REV:path with an option as REV", ["diff", "--", "--output=pwned:lex", "lex"], 2,
         [f"error: '--output=pwned' {NOT_A_REVISION}"], _needs_git, absent=("pwned", "pwned:lex")),
    Case("diff git:--exec", ["diff", "git:--exec=touch pwned", "lex"], 2,
         [f"error: '--exec=touch pwned' {NOT_A_REVISION}"], _needs_git, absent=("pwned",)),
    Case("export --since=--output=FILE", ["export", "-f", "txt", "-o", "list.txt", "--since=--output=pwned", *LEX],
         2, [f"error: '--output=pwned' {NOT_A_REVISION}"], absent=("pwned", "list.txt")),
    Case("export --since a revision ending in a newline",
         ["export", "-f", "txt", "-o", "list.txt", "--since", "HEAD\n", *LEX], 2,
         [f"error: 'HEAD\\n' {NOT_A_REVISION}"], absent=("list.txt",)),
]  # fmt: skip


def _run(case: Case, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), **case.env}
    return subprocess.run([sys.executable, "-m", "wildcli", *case.args], cwd=tmp, env=env, capture_output=True,
                          timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile(case: Case, tmp_path: Path) -> None:
    shutil.copytree(VALID_LEXICON, tmp_path / "lex")
    (tmp_path / "good.jsonl").write_text(GOOD, "utf-8")
    (tmp_path / "out.jsonl").write_text(PREVIOUS, "utf-8")
    (tmp_path / "base.json").write_text('{"kept": true}\n', "utf-8")
    if case.setup is not None:
        case.setup(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in case.kept}
    done = _run(case, tmp_path)
    stdout, stderr = done.stdout.decode("utf-8", "replace"), done.stderr.decode("ascii", "replace")
    if not case.env:
        stderr = done.stderr.decode("utf-8")
    assert "Traceback" not in stdout + stderr
    assert done.returncode == case.code, stderr
    lines = stderr.splitlines()
    assert not [line for line in lines if line.startswith("error: forged")]
    at = 0
    for expected in case.lines:
        assert expected in lines[at:], f"{expected!r} not in {lines[at:]}"
        at = lines.index(expected, at) + 1
    for name, content in before.items():
        assert (tmp_path / name).read_bytes() == content, f"{name} was changed"
    for name in case.absent:
        assert not (tmp_path / name).exists(), f"{name} was written"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if case.rows is not None:
        found = {json.loads(line)["record"] for line in stdout.splitlines()}
        assert set(case.rows) <= found
    if case.stdout is not None:
        assert case.stdout in stdout
    if case.lines_of is not None:
        name, present, missing = case.lines_of
        written = (tmp_path / name).read_text("utf-8").splitlines()
        assert present in written
        assert missing not in written


def test_the_matrix_has_at_least_30_cases() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
