"""`wildcli diff` and `wildcli.lexicon.diff`: term changes between directories and git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import DATA, VALID_LEXICON
from wildcli.errors import UsageError
from wildcli.lexicon import load_lexicon
from wildcli.lexicon.diff import diff_lexicons, parse_revision, render_markdown


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The valid fixture with one term added, one removed, one re-graded and one restricted term added."""
    new = tmp_path / "new"
    shutil.copytree(VALID_LEXICON, new)
    tiger = new / "tiger_parts" / "vi.yaml"
    tiger.write_text(tiger.read_text("utf-8").replace("term: cao hổ", "term: cao hổ cốt"), "utf-8")
    en = new / "ivory" / "en.yaml"
    text = en.read_text("utf-8").replace("  - term: ivory\n    kind: name\n", "  - term: ivory\n    kind: name\n    severity: block\n")
    en.write_text(text + (
        "  - term: secret`word\n    kind: code_word\n    status: approved\n    sensitivity: restricted\n"
        "    sources: [{title: t}]\n"
    ), "utf-8")
    return new


def test_library_diff(changed: Path) -> None:
    diff = diff_lexicons(load_lexicon([VALID_LEXICON]), load_lexicon([changed]))
    assert [(c.change, c.concept, c.lang, c.term) for c in diff.changes] == [
        ("changed", "ivory", "en", "ivory"),
        ("added", "ivory", "en", "[restricted]"),
        ("removed", "tiger_parts", "vi", "cao hổ"),
        ("added", "tiger_parts", "vi", "cao hổ cốt"),
    ]
    assert diff.changes[0].fields == (("severity", "review", "block"),)
    shown = diff_lexicons(load_lexicon([VALID_LEXICON]), load_lexicon([changed]), include_restricted=True)
    assert "secret`word" in render_markdown(shown)


def test_table_output(changed: Path) -> None:
    result = run("diff", str(VALID_LEXICON), str(changed))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "2 added, 1 removed, 1 changed (? -> ?)",
        "                  added  removed  changed",
        "ivory/en              1        0        1",
        "tiger_parts/vi        1        1        0",
        "",
        '~ ivory/en  ivory  severity: "review" -> "block"',
        "+ ivory/en  [restricted]",
        "- tiger_parts/vi  cao hổ",
        "+ tiger_parts/vi  cao hổ cốt",
    ]


def test_json_output(changed: Path) -> None:
    doc = json.loads(run("diff", str(VALID_LEXICON), str(changed), "--format", "json").stdout)
    assert doc["summary"] == {"added": 2, "removed": 1, "changed": 1}
    assert doc["changes"][0]["fields"] == {"severity": {"old": "review", "new": "block"}}


def test_markdown_output(changed: Path) -> None:
    out = run("diff", str(VALID_LEXICON), str(changed), "--format", "markdown", "--include-restricted").stdout
    assert out.startswith("### Lexicon changes: 2 added, 1 removed, 1 changed")
    assert out.startswith(
        "### Lexicon changes: 2 added, 1 removed, 1 changed (? -> ?)\n\n"
        "| concept | lang | added | removed | changed |\n|---|---|--:|--:|--:|\n"
        "| ivory | en | 1 | 0 | 1 |\n| tiger_parts | vi | 1 | 1 | 0 |\n\n#### ivory (en)\n\n"
    )
    assert out.endswith("#### tiger_parts (vi)\n\n- removed `cao hổ`\n- added `cao hổ cốt`\n")
    assert "- added `` secret`word ``" in out


def test_concepts_added_and_removed(tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(VALID_LEXICON, old)
    shutil.rmtree(old / "tiger_parts")
    out = run("diff", str(old), str(VALID_LEXICON)).stdout
    assert out.startswith("1 added, 0 removed, 0 changed (? -> ?)\nconcept tiger_parts added\n")
    assert out.endswith("\n+ tiger_parts/vi  cao hổ\n")


def test_missing_and_broken_sides(tmp_path: Path) -> None:
    assert run("diff", str(tmp_path / "nope"), str(VALID_LEXICON)).exit_code == 2
    broken = tmp_path / "broken" / "ivory"
    broken.mkdir(parents=True)
    (broken / "concept.yaml").write_text("id: ivory\nid: ivory\n")
    result = run("diff", str(VALID_LEXICON), str(tmp_path / "broken"))
    assert result.exit_code == 78
    assert "duplicate key 'id'" in result.stderr


def test_parse_revision_forms(tmp_path: Path) -> None:
    assert parse_revision(str(tmp_path)) is None
    assert parse_revision("git:HEAD~1", str(tmp_path)) == ("HEAD~1", tmp_path)
    assert parse_revision("git:v1", "v2:lexicons") == ("v1", Path("lexicons"))
    assert parse_revision("git:v1") == ("v1", Path("lexicons"))
    assert parse_revision("HEAD:lexicons") == ("HEAD", Path("lexicons"))
    with pytest.raises(UsageError):
        parse_revision(str(tmp_path / "not-there"))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, changed: Path) -> Path:
    """Two commits of repo/lexicons: the valid fixture, then the changed one (tagged v1, v2)."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path / "repo"
    shutil.copytree(VALID_LEXICON, repo / "lexicons")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    shutil.rmtree(repo / "lexicons")
    shutil.copytree(changed, repo / "lexicons")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v2")
    git(repo, "tag", "v2")
    return repo


def test_git_revisions(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    expected = run("diff", str(VALID_LEXICON), str(DATA / "lexicons" / "valid")).stdout
    assert expected.endswith("0 added, 0 removed, 0 changed (? -> ?)\n")
    for old, new in (("git:v1", "lexicons"), ("v1:lexicons", "v2:lexicons"), ("git:v1", "git:v2")):
        result = run("diff", old, new, "--format", "json")
        assert result.exit_code == 0, (old, new, result.stderr)
        assert json.loads(result.stdout)["summary"] == {"added": 2, "removed": 1, "changed": 1}, (old, new)


def test_git_revision_errors(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run("diff", "git:no-such-rev", "lexicons")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: git archive:")


def test_summary_first_and_only_the_items_a_list_gained_or_lost(changed: Path) -> None:
    examples = changed / "ivory" / "en.yaml"
    text = examples.read_text("utf-8")
    assert '      - "elephant ivory tusk"\n' in text
    examples.write_text(text.replace('      - "elephant ivory tusk"\n', '      - "raw elephant ivory"\n'), "utf-8")
    lines = run("diff", str(VALID_LEXICON), str(changed)).stdout.splitlines()
    assert '~ ivory/en  elephant ivory  examples: +"raw elephant ivory", -"elephant ivory tusk"' in lines
    summary = run("diff", str(VALID_LEXICON), str(changed), "--summary").stdout.splitlines()
    assert summary == [
        "2 added, 1 removed, 2 changed (? -> ?)",
        "                  added  removed  changed",
        "ivory/en              1        0        2",
        "tiger_parts/vi        1        1        0",
    ]
    markdown = run("diff", str(VALID_LEXICON), str(changed), "--summary", "--format", "markdown").stdout
    assert markdown.endswith("| ivory | en | 1 | 0 | 2 |\n| tiger_parts | vi | 1 | 1 | 0 |\n")
    doc = json.loads(run("diff", str(VALID_LEXICON), str(changed), "--format", "json").stdout)
    assert doc["groups"][0] == {"concept": "ivory", "lang": "en", "added": 1, "removed": 0, "changed": 2}
