"""`wildcli export`: formats, files, --check, --strict, --manifest, --since, and the CI files."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.cli.helpers import run
from tests.conftest import DATA, ROOT
from wildcli.exporters import ExportFormat

# The fixture holds terms that lint refuses (a duplicate, a CR in a term), to show how formats
# escape them: --ignore-lint-errors lets it through, and those two terms are left out.
EXPORT = ["--no-bundled", "--lexicon", str(DATA / "lexicons" / "export"), "--ignore-lint-errors"]
KEY = "test-key"


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WILDCLI_HMAC_KEY", KEY)


def test_list_shows_every_format_on_one_line() -> None:
    result = run("export", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [f.value for f in ExportFormat]


def test_stdout_export_and_stderr_report() -> None:
    result = run("export", "--format", "comma-list", "--action", "warn", *EXPORT)
    assert result.exit_code == 0
    assert result.stdout.startswith("ivory tab, #ivorytrade, +ivory")
    assert "warning: comma-list: 2 terms left out: contains a comma (the list separator): 'ivory, carved' (ivory/en)" in result.stderr
    assert "exported 19 terms to stdout as comma-list (the warn list, 1 line; 4 left out)" in result.stderr
    assert "note: 1 restricted terms left out" in run("export", "--format", "comma-list", "--action", "block", *EXPORT).stderr


def test_every_export_says_what_it_left_out_and_why() -> None:
    result = run("export", "--format", "txt", "--action", "block", "--lang", "en", *EXPORT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["elephant ivories", "elephant ivory"]  # a name with its plural
    # Only what was asked about is reported: --action block filters out the rest.
    assert not any("context word" in line for line in result.stderr.splitlines())
    lines = run("export", "--format", "txt", "--action", "warn", "--lang", "en", *EXPORT).stderr.splitlines()
    assert any(line.startswith("note: txt: 1 term left out: counts only next to a context word") for line in lines)
    # What the format cannot carry is a warning: the judgement would be lost.
    assert any(line.startswith("warning: txt: 1 term left out: has exclusions near it") for line in lines)
    assert lines[-1] == "exported 15 terms to stdout as txt (the warn list, 15 lines; 2 left out)"
    monitor = run("export", "--format", "txt", "--min-severity", "monitor", "--action", "monitor", *EXPORT)
    assert any(line.startswith("note: txt: 1 term left out: is a context phrase") for line in monitor.stderr.splitlines())


def test_contextual_terms_asked_for_are_refused_loudly_by_list_formats(tmp_path: Path) -> None:
    result = run("export", "--format", "txt", "--include-contextual", "-o", str(tmp_path / "bl.txt"), *EXPORT)
    assert result.exit_code == 0
    assert any(line.startswith("warning: txt: 1 term left out: needs a context word, which txt cannot carry")
               for line in result.stderr.splitlines())
    rules = run("export", "--format", "jsonl", "--include-contextual", *EXPORT)
    assert '"term": "pale gold"' in rules.stdout


def test_stdout_holds_one_list() -> None:
    result = run("export", "--format", "txt", *EXPORT)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "error: txt: this export is 3 files, block (10 lines), warn (21 lines), allow (2 lines): "
        "give --output FILE, or narrow it with --action")


def test_format_is_required() -> None:
    result = run("export", *EXPORT)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --format is required (wildcli export --list shows the formats)"


def test_unknown_concept_is_a_usage_error() -> None:
    result = run("export", "-f", "txt", "--concept", "nope", *EXPORT)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, "error: unknown concept 'nope'")


@pytest.mark.usefixtures("key_env")
@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_two_exports_are_byte_identical(fmt: ExportFormat, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    name = f"bl{fmt.exporter.suffix}"
    assert run("export", "-f", fmt.value, "-o", str(tmp_path / "a" / name), *EXPORT).exit_code == 0
    assert run("export", "-f", fmt.value, "-o", str(tmp_path / "b" / name), *EXPORT).exit_code == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    # One list on stdout is the file that list goes to.
    stdout = run("export", "-f", fmt.value, "--action", "block", "--concept", "rhino_horn", *EXPORT).stdout_bytes
    assert run("export", "-f", fmt.value, "--action", "block", "--concept", "rhino_horn", "-o", str(tmp_path / name), *EXPORT).exit_code == 0
    assert stdout == (tmp_path / name).read_bytes()


@pytest.mark.usefixtures("key_env")
@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_restricted_term_never_in_any_cli_export(fmt: ExportFormat, tmp_path: Path) -> None:
    out = tmp_path / "out" / f"bl{fmt.exporter.suffix}"
    out.parent.mkdir()
    result = run("export", "-f", fmt.value, "-o", str(out), "--min-severity", "monitor", "--include-contextual",
                 "--status", "approved", "--status", "proposed", "--status", "retired", *EXPORT)
    assert result.exit_code == 0
    written = "".join(p.read_text("utf-8") for p in out.parent.iterdir())
    assert "white gold" not in written.casefold()
    assert "white gold" not in result.stderr.casefold()
    assert "white\\s+gold" not in written


def test_include_restricted_flag() -> None:
    result = run("export", "-f", "txt", "--include-restricted", "--action", "block", "--lang", "en", *EXPORT)
    assert "white gold tusk\n" in result.stdout


def test_check_fresh_stale_and_missing(tmp_path: Path) -> None:
    out = tmp_path / "bl.txt"
    missing = run("export", "-f", "txt", "-o", str(out), "--check", *EXPORT)
    assert missing.exit_code == 1
    assert not out.exists()
    assert run("export", "-f", "txt", "-o", str(out), *EXPORT).exit_code == 0
    fresh = run("export", "-f", "txt", "-o", str(out), "--check", *EXPORT)
    assert fresh.exit_code == 0
    assert fresh.stderr.splitlines()[-1] == f"{out} is up to date"
    out.write_text(out.read_text("utf-8").replace("elephant ivory\n", "") + "stale line\n", "utf-8")
    before = out.read_bytes()
    stale = run("export", "-f", "txt", "-o", str(out), "--check", *EXPORT)
    assert stale.exit_code == 1
    assert f"stale: {out}: 1 lines added, 1 removed (+'elephant ivory', -'stale line')" in stale.stderr
    assert out.read_bytes() == before


def test_check_needs_output() -> None:
    result = run("export", "-f", "txt", "--check", *EXPORT)
    assert (result.exit_code, result.stderr.strip()) == (2, "error: --check needs --output: the file to compare with")


def test_strict_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "sw.txt"
    result = run("export", "-f", "stopwords", "-o", str(out), "--strict", *EXPORT)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: stopwords: 25 terms cannot be expressed (--strict); nothing written"
    assert not out.exists()
    assert run("export", "-f", "stopwords", "-o", str(out), "--strict", "--concept", "rhino_horn", "--kind", "emoji", *EXPORT).exit_code == 0
    assert out.read_text("utf-8") == "🦏🔪\n"
    # Terms left out by the safe defaults are not --strict failures: nothing was flattened.
    assert (tmp_path / "sw.warn.txt").read_text("utf-8") == ""


def test_manifest_has_version_digest_options_and_hashes(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out" / "ads.txt", tmp_path / "manifest.json"
    out.parent.mkdir()
    result = run("export", "-f", "google-ads", "--match", "exact", "-o", str(out), "--manifest", str(manifest), *EXPORT)
    assert result.exit_code == 0
    doc = json.loads(manifest.read_text("utf-8"))
    assert doc["lexicon"]["version"] == "2026.11.0-test"
    assert len(doc["lexicon"]["digest"]) == 64
    assert doc["options"]["match_type"] == "exact"
    assert doc["format"] == "google-ads"
    warn = out.with_name("ads.warn.txt")
    assert doc["files"] == [
        {"path": "out/ads.txt", "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
         "bytes": out.stat().st_size, "lines": 8, "role": "block"},
        {"path": "out/ads.warn.txt", "sha256": hashlib.sha256(warn.read_bytes()).hexdigest(),
         "bytes": warn.stat().st_size, "lines": 10, "role": "warn"},
    ]
    assert doc["counts"]["selected"] == 32
    assert doc["counts"]["exported"] == 18
    assert doc["counts"]["left_out_by_reason"]["is monitor tier, logged only (--min-severity monitor adds a monitor list)"] == 1
    assert sum(doc["counts"]["left_out_by_reason"].values()) == doc["counts"]["left_out"] == 17
    first = manifest.read_bytes()
    run("export", "-f", "google-ads", "--match", "exact", "-o", str(out), "--manifest", str(manifest), *EXPORT)
    assert manifest.read_bytes() == first


def test_hashed_needs_a_key_and_reads_a_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WILDCLI_HMAC_KEY", raising=False)
    refused = run("export", "-f", "hashed", *EXPORT)
    assert refused.exit_code == 2
    assert "needs a key" in refused.stderr
    assert not refused.stdout
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY.encode() + b"\n")
    from_file = run("export", "-f", "hashed", "--key-file", str(key_file), *EXPORT)
    monkeypatch.setenv("WILDCLI_HMAC_KEY", KEY)
    from_env = run("export", "-f", "hashed", *EXPORT)
    assert from_file.exit_code == 0
    assert from_file.stdout == from_env.stdout
    assert "white gold" not in from_file.stdout
    missing = run("export", "-f", "hashed", "--key-file", str(tmp_path / "nope"), *EXPORT)
    assert missing.exit_code == 66


def test_interrupted_export_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "bl.jsonl"
    out.write_text("previous\n")

    def crash(fd: int) -> None:
        raise RuntimeError("disk pulled out mid-write")

    # After the records are written to the temporary file, before it replaces the output.
    monkeypatch.setattr("wildcli.atomic.os.fsync", crash)
    with pytest.raises(RuntimeError):
        run("export", "-f", "jsonl", "-o", str(out), *EXPORT)
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bl.jsonl"]


def test_multi_part_export_needs_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from wildcli.exporters import ads

    monkeypatch.setattr(ads, "LIST_SIZE", 3)
    result = run("export", "-f", "google-ads", "--action", "block", *EXPORT)
    assert result.exit_code == 2
    assert "google-ads: this export is 3 files, block (8 lines): give --output FILE" in result.stderr
    out = tmp_path / "neg.txt"
    assert run("export", "-f", "google-ads", "-o", str(out), *EXPORT).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neg.2.txt", "neg.3.txt", "neg.txt", "neg.warn.2.txt", "neg.warn.3.txt", "neg.warn.4.txt", "neg.warn.txt"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def lexicon_repo(tmp_path: Path) -> Path:
    """A git repository with the valid fixture lexicon committed, then one term added and one removed."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "lexicons" / "valid", repo / "lexicons")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    tiger = repo / "lexicons" / "tiger_parts" / "vi.yaml"
    tiger.write_text(tiger.read_text("utf-8").replace("term: cao hổ", "term: cao hổ cốt"), "utf-8")
    return repo


def test_since_writes_added_and_removed_deltas(lexicon_repo: Path) -> None:
    out = lexicon_repo / "bl.txt"
    result = run("export", "-f", "txt", "-o", str(out), "--since", "HEAD", "--no-bundled", "-l", str(lexicon_repo / "lexicons"))
    assert result.exit_code == 0, result.stderr
    # A review term: its change shows in the warn list's delta, the block list has none.
    assert (lexicon_repo / "bl.warn.txt.added").read_text("utf-8") == "cao hổ cốt\n"
    assert (lexicon_repo / "bl.warn.txt.removed").read_text("utf-8") == "cao hổ\n"
    assert (lexicon_repo / "bl.txt.added").read_text("utf-8") == ""
    assert "since HEAD: warn: 1 lines added, 1 removed" in result.stderr


def test_since_rejects_formats_without_line_items(lexicon_repo: Path) -> None:
    result = run("export", "-f", "skos", "-o", str(lexicon_repo / "x.ttl"), "--since", "HEAD", "--no-bundled", "-l", str(lexicon_repo / "lexicons"))
    assert result.exit_code == 2
    assert "--since works with one-item-per-line formats: txt, jsonl" in result.stderr


def test_since_bad_revision(lexicon_repo: Path) -> None:
    result = run("export", "-f", "txt", "-o", str(lexicon_repo / "x.txt"), "--since", "nope", "--no-bundled", "-l", str(lexicon_repo / "lexicons"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: git archive:")


# --- CI files ----------------------------------------------------------------------------------


def wildcli_commands(text: str) -> list[list[str]]:
    """Every `wildcli ...` invocation in a shell script, with continuation lines joined."""
    commands = []
    for line in text.replace("\\\n", " ").splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words[:1] == ["wildcli"]:
                commands.append(words[1:])
    return commands


def test_workflow_runs_commands_the_cli_has() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "blocklists.yml").read_text("utf-8"))
    scripts = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    commands = [c for script in scripts for c in wildcli_commands(script)]
    assert {c[0] for c in commands} >= {"lint", "export"}
    assert any(c[0] == "export" and "--check" in c for c in commands)
    for command in commands:
        # --help after the arguments: Click validates nothing else, but an unknown option fails.
        options = [w for w in command if w.startswith("--") and "=" not in w]
        result = run(command[0], "--help")
        assert result.exit_code == 0, command
        for option in options:
            assert option in result.stdout, f"wildcli {command[0]} has no {option}"


def test_workflow_export_commands_pass_check_after_a_fresh_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the workflow's export steps on the fixture: write each file, then --check must pass."""
    workflow = (ROOT / ".github" / "workflows" / "blocklists.yml").read_text("utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blocklists").mkdir()
    shutil.copytree(DATA / "lexicons" / "valid", tmp_path / "lexicons")
    exports = [c for c in wildcli_commands(workflow) if c[0] == "export"]
    assert exports
    for command in exports:
        words = [w for w in command if w != "$lex"] + ["--no-bundled", "--lexicon", "lexicons"]
        fresh = [w for w in words if w != "--check"]
        assert run(*fresh).exit_code == 0, fresh
        assert run(*words).exit_code == 0, words


def test_workflow_checks_every_format_it_exports_with_existing_formats() -> None:
    text = (ROOT / ".github" / "workflows" / "blocklists.yml").read_text("utf-8")
    for command in wildcli_commands(text.replace("${{ matrix.format }}", "txt")):
        if command[0] == "export" and "--format" in command:
            assert command[command.index("--format") + 1] in {f.value for f in ExportFormat}


def test_pre_commit_hooks_name_real_commands() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert set(hooks) == {"wildcli-lint", "wildcli-export-check"}
    for hook in hooks.values():
        words = shlex.split(hook["entry"]) + list(hook.get("args", []))
        assert words[0] == "wildcli"
        assert run(words[1], "--help").exit_code == 0
    assert "--check" in shlex.split(hooks["wildcli-export-check"]["entry"]) + hooks["wildcli-export-check"].get("args", [])


# --- docs/exports.md ---------------------------------------------------------------------------

DOCS = ROOT / "docs" / "exports.md"


def doc_examples() -> dict[str, tuple[str, str]]:
    """Format -> (command line, example output line) from each `### \\`format\\`` section."""
    examples = {}
    for section in DOCS.read_text("utf-8").split("\n### `")[1:]:
        name = section.split("`", 1)[0]
        block = section.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
        examples[name] = (block[0], block[1])
    return examples


def test_docs_document_every_format() -> None:
    assert list(doc_examples()) == [f.value for f in ExportFormat]


@pytest.mark.parametrize(("fmt", "example"), list(doc_examples().items()))
def test_docs_examples_are_real_output(fmt: str, example: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    command, expected = example
    words = shlex.split(command.removeprefix("$ "))
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        monkeypatch.setenv(name, value)
    assert words[0] == "wildcli"
    assert words[words.index("--format") + 1] == fmt
    result = run(*words[1:])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    if expected.endswith("…"):
        assert any(line.startswith(expected[:-1]) for line in lines), expected
    else:
        assert expected in lines


def test_variants_are_marked_with_their_rule() -> None:
    result = run("export", "-f", "jsonl", "--variants", "--concept", "rhino_horn", "--lang", "vi", *EXPORT)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    rules = {(r["term"], r["variant_rule"], r["variant_of"]) for r in records}
    assert ("sừng tê giác", None, None) in rules
    assert ("sung te giac", "transliteration", "sừng tê giác") in rules
    plain = run("export", "-f", "txt", "--variants", "--concept", "rhino_horn", "--lang", "vi", *EXPORT)
    assert "sung te giac" in plain.stdout.splitlines()


def test_an_export_with_nothing_in_it_says_so_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "sw.txt"
    out.write_text("kept\n", "utf-8")  # a list already in place must not be blanked
    result = run("export", "-f", "stopwords", "--lang", "vi", "-o", str(out), *EXPORT)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-2].startswith("warning: stopwords: 4 terms left out: is a phrase")
    assert lines[-1] == ("error: stopwords: nothing to export: all 4 terms chosen were left out "
                         "(the lines above say why); nothing written")  # fmt: skip
    assert not any(line.startswith("exported") for line in lines)
    assert out.read_text("utf-8") == "kept\n"
    assert not (tmp_path / "sw.warn.txt").exists()
    empty = run("export", "-f", "txt", "--lang", "ar", "--kind", "emoji", *EXPORT)
    assert (empty.exit_code, empty.stdout) == (1, "")
    assert empty.stderr.splitlines()[-1] == (
        "error: txt: nothing to export: no term of the lexicon passes the filters (--concept, --lang, "
        "--kind, --min-severity, --action ...); nothing written"
    )


def test_an_unknown_language_or_a_misspelt_concept_gets_a_suggestion() -> None:
    lang = run("export", "-f", "txt", "--lang", "zh-hans", *EXPORT)
    assert (lang.exit_code, lang.stderr.splitlines()[-1]) == (
        2, "error: unknown language 'zh-hans' (see wildcli stats); did you mean 'zh-Hans'?"
    )
    concept = run("simulate", "-f", "txt", "--concept", "ivroy", "x.csv", *EXPORT[:-1])
    assert (concept.exit_code, concept.stderr.splitlines()[-1]) == (
        2, "error: unknown concept 'ivroy' (see wildcli stats); did you mean 'ivory'?"
    )
