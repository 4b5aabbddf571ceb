"""Lexicon releases: `VERSION` and `CHANGELOG.md` kept in step with the terms.

Platforms trace a deployed blocklist to the lexicon version in its manifest, so every change to
the terms must reach the changelog, and a release must name its version in both files. The
check compares the lexicon with the commit that last changed `VERSION` (the last release) and
reads the changelog's `## [Unreleased]` section; `prepare` turns that section into a release.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wildcli.atomic import atomic_writer
from wildcli.errors import Location, UsageError, WildcliError

VERSION_FILE = "VERSION"
CHANGELOG_FILE = "CHANGELOG.md"
UNRELEASED = "## [Unreleased]"
_CALVER = re.compile(r"(\d{4})\.(\d{2})\.(\d+)")
_RELEASE = re.compile(r"## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    line: int


@dataclass(frozen=True)
class Changelog:
    """What a release check needs of `CHANGELOG.md`: the releases, newest first, and the
    entries (bullet lines) under `## [Unreleased]`."""

    path: Path
    releases: tuple[Release, ...]
    unreleased_line: int | None
    unreleased_entries: tuple[str, ...]


@dataclass(frozen=True)
class ReleaseProblem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class ReleaseStatus:
    """The outcome of a check: the version, the last release commit compared with (None when
    the lexicon is not in git history), the number of terms changed since, and the problems."""

    version: str | None
    base: str | None
    changed_terms: int
    problems: tuple[ReleaseProblem, ...]


def calver(version: str) -> tuple[int, int, int] | None:
    match = _CALVER.fullmatch(version)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    year, month, patch = match.groups()
    return int(year), int(month), int(patch)


def read_changelog(path: Path) -> Changelog:
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise WildcliError(f"cannot read: {exc.strerror or exc}", Location(str(path))) from None
    releases = []
    unreleased_line = None
    entries: list[str] = []
    section = None
    for number, line in enumerate(lines, 1):
        if line.startswith("## "):
            section = line
            if line.strip() == UNRELEASED:
                unreleased_line = number
            elif match := _RELEASE.fullmatch(line.strip()):
                releases.append(Release(match["version"], match["date"], number))
        elif section is not None and section.strip() == UNRELEASED and line.lstrip().startswith("- "):
            entries.append(line.strip())
    return Changelog(path, tuple(releases), unreleased_line, tuple(entries))


def check_release(lexicon_dir: str | Path, *, base: str | None = None) -> ReleaseStatus:
    """Problems with the release state of `lexicon_dir`.

    `base` is the revision to compare with (a pull request's target branch); by default the last
    commit that changed `VERSION`. Terms changed since then need an entry under Unreleased that
    was not there at `base`. Outside a git work tree (an unpacked release, a shallow clone without that
    commit) only the files are checked, and `base` is None in the status.
    """
    if base is not None and (not base or base.startswith("-")):
        raise UsageError(f"{base!r}: not a git revision")
    root = Path(lexicon_dir)
    version_path, changelog_path = root / VERSION_FILE, root / CHANGELOG_FILE
    problems: list[ReleaseProblem] = []
    try:
        version: str | None = version_path.read_text("utf-8").strip()
    except OSError:
        version = None
        missing = "missing: a lexicon release names its version here"
        problems.append(ReleaseProblem(Location(str(version_path)), missing))
    changelog = read_changelog(changelog_path)
    if version is not None and calver(version) is None:
        not_calver = f"{version!r} is not a calendar version YYYY.MM.PATCH"
        problems.append(ReleaseProblem(Location(str(version_path), 1), not_calver))
    problems += _changelog_problems(changelog, version)
    revision = base or _last_release_commit(root)
    changed = 0
    if revision is not None:
        changed, earlier = _since(root, revision)
        if changed and not set(changelog.unreleased_entries) - earlier:
            since = f"since {base}" if base else f"since the last release ({revision[:12]})"
            problems.append(ReleaseProblem(
                Location(str(changelog_path), changelog.unreleased_line),
                f"{changed} term(s) added, removed or changed {since}, but no entry was added "
                f"to {UNRELEASED}: describe the change there",
            ))
    return ReleaseStatus(version, revision, changed, tuple(problems))


def _changelog_problems(changelog: Changelog, version: str | None) -> list[ReleaseProblem]:
    problems = []
    if changelog.unreleased_line is None:
        problems.append(ReleaseProblem(Location(str(changelog.path)), f"no {UNRELEASED} section"))
    if version is not None and changelog.releases and changelog.releases[0].version != version:
        newest = changelog.releases[0]
        problems.append(ReleaseProblem(
            Location(str(changelog.path), newest.line),
            f"the newest release is {newest.version} but VERSION says {version}: a release bumps both",
        ))
    for newer, older in itertools.pairwise(changelog.releases):
        a, b = calver(newer.version), calver(older.version)
        if a is None or b is None or a <= b or newer.date < older.date:
            problems.append(ReleaseProblem(
                Location(str(changelog.path), newer.line),
                f"release {newer.version} ({newer.date}) does not follow {older.version} ({older.date})",
            ))
    return problems


def next_version(current: str, today: dt.date) -> str:
    """The version after `current` released on `today`: the next patch within a month, else
    `YYYY.MM.0`."""
    parts = calver(current)
    if parts is not None and parts[:2] == (today.year, today.month):
        return f"{today.year}.{today.month:02d}.{parts[2] + 1}"
    if parts is not None and parts[:2] > (today.year, today.month):
        raise UsageError(f"VERSION {current} is later than {today.isoformat()}")
    return f"{today.year}.{today.month:02d}.0"


def prepare_release(lexicon_dir: str | Path, *, today: dt.date | None = None) -> str:
    """Turn `## [Unreleased]` into `## [NEXT] - DATE` under a fresh, empty Unreleased heading,
    and write NEXT to `VERSION`. Returns NEXT. Refuses when there is nothing to release."""
    root = Path(lexicon_dir)
    today = today or dt.date.today()
    changelog = read_changelog(root / CHANGELOG_FILE)
    if changelog.unreleased_line is None or not changelog.unreleased_entries:
        raise UsageError(f"{root / CHANGELOG_FILE}: {UNRELEASED} holds no entry: nothing to release")
    version = (root / VERSION_FILE).read_text("utf-8").strip()
    new = next_version(version, today)
    lines = (root / CHANGELOG_FILE).read_text("utf-8").splitlines(keepends=True)
    index = changelog.unreleased_line - 1
    lines[index:index + 1] = [f"{UNRELEASED}\n", "\n", f"## [{new}] - {today.isoformat()}\n"]
    with atomic_writer(root / CHANGELOG_FILE) as out:
        out.write("".join(lines))
    with atomic_writer(root / VERSION_FILE) as out:
        out.write(new + "\n")
    return new


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _last_release_commit(root: Path) -> str | None:
    commit = _git(root, "log", "-1", "--format=%H", "--", VERSION_FILE)
    return commit or None


def _since(root: Path, revision: str) -> tuple[int, frozenset[str]]:
    """The number of terms changed since `revision`, and the changelog entries it already had."""
    # Imported here: the diff module imports the lexicon package, which imports this one.
    from wildcli.lexicon.diff import diff_lexicons, extract_revision
    from wildcli.lexicon.loader import load_lexicon

    def ignore(_: WildcliError) -> None:
        """Lint reports broken files; here only the terms that load are compared."""

    with tempfile.TemporaryDirectory(prefix="wildcli-release-") as scratch:
        old = Path(scratch)
        extract_revision(revision, root, old)
        before = load_lexicon([old], on_error=ignore)
        after = load_lexicon([root], on_error=ignore)
        then = old / CHANGELOG_FILE
        entries = read_changelog(then).unreleased_entries if then.is_file() else ()
    return len(diff_lexicons(before, after, include_restricted=True).changes), frozenset(entries)
