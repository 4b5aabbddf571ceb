"""Lexicon releases: a term change needs a CHANGELOG entry, and a release bumps VERSION."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import ROOT, VALID_LEXICON
from wildcli.errors import UsageError
from wildcli.lexicon.release import check_release, next_version, prepare_release, read_changelog

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CHANGELOG = """# Lexicon changelog

## [Unreleased]

## [2026.11.0] - 2026-11-29

### Added

- The first terms.
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True, capture_output=True,
    )


@pytest.fixture
def lexicon(tmp_path: Path) -> Path:
    """A git repository whose last commit released the fixture lexicon as 2026.11.0."""
    lexicon = tmp_path / "lexicons"
    shutil.copytree(VALID_LEXICON, lexicon)
    (lexicon / "VERSION").write_text("2026.11.0\n")
    (lexicon / "CHANGELOG.md").write_text(CHANGELOG)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "release")
    return lexicon


def _change_a_term(lexicon: Path) -> None:
    path = lexicon / "ivory" / "vi.yaml"
    path.write_text(path.read_text("utf-8").replace("severity: block", "severity: review", 1), "utf-8")


def _add_entry(lexicon: Path, entry: str) -> None:
    path = lexicon / "CHANGELOG.md"
    path.write_text(path.read_text().replace("## [Unreleased]\n", f"## [Unreleased]\n\n### Changed\n\n- {entry}\n", 1))


def test_a_lexicon_as_released_is_in_step(lexicon: Path) -> None:
    status = check_release(lexicon)
    assert status.problems == ()
    assert status.changed_terms == 0
    assert status.version == "2026.11.0"


def test_a_changed_term_needs_an_unreleased_entry(lexicon: Path) -> None:
    _change_a_term(lexicon)
    [problem] = check_release(lexicon).problems
    assert str(problem).startswith(f"{lexicon / 'CHANGELOG.md'}:3: 1 term(s) added, removed or changed since the last release")
    _add_entry(lexicon, "ngà voi is review.")
    assert check_release(lexicon).problems == ()


def test_since_a_revision_the_entry_must_be_new(lexicon: Path) -> None:
    _add_entry(lexicon, "An earlier change.")
    _git(lexicon.parent, "commit", "-qam", "entry")
    _change_a_term(lexicon)
    # Against the last release, the earlier entry covers it; against the branch point it does not.
    assert check_release(lexicon).problems == ()
    [problem] = check_release(lexicon, base="HEAD").problems
    assert "since HEAD, but no entry was added" in str(problem)


def test_version_and_newest_release_must_agree(lexicon: Path) -> None:
    (lexicon / "VERSION").write_text("2026.12.0\n")
    [problem] = check_release(lexicon).problems
    assert str(problem) == f"{lexicon / 'CHANGELOG.md'}:5: the newest release is 2026.11.0 but VERSION says 2026.12.0: a release bumps both"


def test_releases_must_go_forward(lexicon: Path) -> None:
    path = lexicon / "CHANGELOG.md"
    path.write_text(path.read_text() + "\n## [2026.12.0] - 2026-12-01\n")
    [problem] = check_release(lexicon).problems
    assert "release 2026.11.0 (2026-11-29) does not follow 2026.12.0 (2026-12-01)" in str(problem)


def test_prepare_moves_the_entries_under_a_new_version(lexicon: Path) -> None:
    with pytest.raises(UsageError, match="nothing to release"):
        prepare_release(lexicon, today=dt.date(2026, 11, 30))
    _change_a_term(lexicon)
    _add_entry(lexicon, "ngà voi is review.")
    assert prepare_release(lexicon, today=dt.date(2026, 11, 30)) == "2026.11.1"
    assert (lexicon / "VERSION").read_text() == "2026.11.1\n"
    changelog = read_changelog(lexicon / "CHANGELOG.md")
    assert [r.version for r in changelog.releases] == ["2026.11.1", "2026.11.0"]
    assert changelog.unreleased_entries == ()
    _git(lexicon.parent, "commit", "-qam", "release 2026.11.1")
    assert check_release(lexicon).problems == ()


def test_next_version_is_calendar_based() -> None:
    assert next_version("2026.11.4", dt.date(2026, 11, 30)) == "2026.11.5"
    assert next_version("2026.11.4", dt.date(2027, 1, 2)) == "2027.01.0"
    with pytest.raises(UsageError):
        next_version("2027.01.0", dt.date(2026, 12, 7))


def test_a_revision_that_looks_like_an_option_is_refused(lexicon: Path) -> None:
    result = run("release", "check", str(lexicon), "--since", "--output=x")
    assert result.exit_code == 2
    assert not (lexicon / "x").exists()


def test_cli_reports_each_problem_and_fails(lexicon: Path) -> None:
    _change_a_term(lexicon)
    result = run("release", "check", str(lexicon))
    assert result.exit_code == 1
    assert "CHANGELOG.md:3: 1 term(s) added, removed or changed" in result.stderr


def test_the_bundled_lexicon_is_in_step_with_its_changelog() -> None:
    """The check CI runs: a change to the bundled terms comes with a CHANGELOG entry."""
    status = check_release(ROOT / "lexicons")
    if status.base is None:
        pytest.skip("the checkout has no git history (an unpacked archive or a shallow clone)")
    assert [str(p) for p in status.problems] == []
