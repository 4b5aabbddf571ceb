"""What changed between two lexicons: added, removed and changed terms per concept and language.

Either side may be a git revision of a lexicon directory (`git:REV` or `REV:path`), extracted
with `git archive` into a temporary directory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from wildcli.errors import UsageError
from wildcli.lexicon.model import Lexicon, Sensitivity, Term
from wildcli.safety import strip_controls

DEFAULT_DIR = "lexicons"
MASK = "[restricted]"
_IGNORED = {"term", "concept", "lang", "location"}


@dataclass(frozen=True)
class TermChange:
    """One term added, removed or changed; `fields` holds (name, old, new) for changes."""

    concept: str
    lang: str
    term: str
    change: str  # added | removed | changed
    fields: tuple[tuple[str, Any, Any], ...] = ()


@dataclass(frozen=True)
class LexiconDiff:
    old_version: str | None
    new_version: str | None
    changes: tuple[TermChange, ...]
    concepts_added: tuple[str, ...] = ()
    concepts_removed: tuple[str, ...] = ()

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    def by_group(self) -> dict[tuple[str, str], dict[str, int]]:
        """Terms added, removed and changed per (concept, language), in the changes' order."""
        groups: dict[tuple[str, str], dict[str, int]] = {}
        for c in self.changes:
            counts = groups.setdefault((c.concept, c.lang), dict.fromkeys(CHANGES, 0))
            counts[c.change] += 1
        return groups


CHANGES = ("added", "removed", "changed")


def _plain(value: Any) -> Any:
    """Field values as JSON-friendly data (enums by value, dataclasses as dicts)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    return getattr(value, "value", value)


def changed_fields(old: Term, new: Term) -> tuple[tuple[str, Any, Any], ...]:
    return tuple(
        (f.name, _plain(getattr(old, f.name)), _plain(getattr(new, f.name)))
        for f in dataclasses.fields(Term)
        if f.name not in _IGNORED and getattr(old, f.name) != getattr(new, f.name)
    )


def diff_lexicons(old: Lexicon, new: Lexicon, *, include_restricted: bool = False) -> LexiconDiff:
    """Compare by term identity (concept, lang, text). Restricted terms are masked unless asked."""
    before = {t.key: t for t in old.terms}
    after = {t.key: t for t in new.terms}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        hidden = not include_restricted and any(
            t is not None and t.sensitivity is Sensitivity.RESTRICTED for t in (a, b)
        )
        text = MASK if hidden else key[2]
        if a is None:
            changes.append(TermChange(key[0], key[1], text, "added"))
        elif b is None:
            changes.append(TermChange(key[0], key[1], text, "removed"))
        elif a != b:
            changes.append(TermChange(key[0], key[1], text, "changed", changed_fields(a, b)))
    return LexiconDiff(
        old.version, new.version, tuple(changes),
        tuple(sorted(new.concepts.keys() - old.concepts.keys())),
        tuple(sorted(old.concepts.keys() - new.concepts.keys())),
    )


def shown(text: str) -> str:
    """A term on one line: line breaks and tabs as escapes, other controls made visible."""
    return strip_controls(text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n"))


def summary_line(diff: LexiconDiff) -> str:
    versions = f" ({diff.old_version or '?'} -> {diff.new_version or '?'})"
    return (f"{diff.count('added')} added, {diff.count('removed')} removed, "
            f"{diff.count('changed')} changed{versions}")


def _field_text(fields: tuple[tuple[str, Any, Any], ...]) -> str:
    return "; ".join(f"{name}: {_change_text(a, b)}" for name, a, b in fields)


def _change_text(old: Any, new: Any) -> str:
    """A field's change; for lists (examples, sources, context ...), only the items that came
    and went, not both lists whole."""
    def dumped(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    if not (isinstance(old, list) and isinstance(new, list)):
        return f"{dumped(old)} -> {dumped(new)}"
    before, after = [dumped(v) for v in old], [dumped(v) for v in new]
    moves = [f"+{v}" for v in after if v not in before] + [f"-{v}" for v in before if v not in after]
    return ", ".join(moves) if moves else "reordered"


def render_summary(diff: LexiconDiff) -> list[str]:
    """The totals, concepts added or removed, and counts per concept and language, aligned."""
    lines = [summary_line(diff)]
    lines += [f"concept {c} added" for c in diff.concepts_added]
    lines += [f"concept {c} removed" for c in diff.concepts_removed]
    groups = diff.by_group()
    if groups:
        width = max(len(f"{concept}/{lang}") for concept, lang in groups)
        lines.append(f"{'':{width}}  " + "  ".join(f"{name:>7}" for name in CHANGES))
        lines += [f"{concept + '/' + lang:{width}}  " + "  ".join(f"{n:>7}" for n in counts.values())
                  for (concept, lang), counts in groups.items()]
    return lines


def render_table(diff: LexiconDiff, *, details: bool = True) -> str:
    """The summary first; then, with `details`, each term added (+), removed (-) or changed (~)."""
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines = render_summary(diff)
    if details and diff.changes:
        lines.append("")
        for c in diff.changes:
            detail = f"  {shown(_field_text(c.fields))}" if c.fields else ""
            lines.append(f"{marks[c.change]} {c.concept}/{c.lang}  {shown(c.term)}{detail}")
    return "\n".join(lines) + "\n"


def render_json(diff: LexiconDiff) -> str:
    body = {
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "summary": {k: diff.count(k) for k in CHANGES},
        "groups": [{"concept": concept, "lang": lang, **counts}
                   for (concept, lang), counts in diff.by_group().items()],
        "concepts_added": list(diff.concepts_added),
        "concepts_removed": list(diff.concepts_removed),
        "changes": [
            {"concept": c.concept, "lang": c.lang, "term": c.term, "change": c.change,
             "fields": {name: {"old": a, "new": b} for name, a, b in c.fields}}
            for c in diff.changes
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _code(text: str) -> str:
    """A Markdown code span that survives backticks inside the term."""
    text = shown(text)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def render_markdown(diff: LexiconDiff, *, details: bool = True) -> str:
    """A heading with the totals, a table of counts per concept and language, then, with
    `details`, the terms of each."""
    lines = [f"### Lexicon changes: {summary_line(diff)}", ""]
    lines += [f"- concept {_code(c)} added" for c in diff.concepts_added]
    lines += [f"- concept {_code(c)} removed" for c in diff.concepts_removed]
    groups = diff.by_group()
    if groups:
        lines += [""] if lines[-1] else []
        lines += ["| concept | lang | added | removed | changed |", "|---|---|--:|--:|--:|"]
        lines += [f"| {concept} | {lang} | " + " | ".join(map(str, counts.values())) + " |"
                  for (concept, lang), counts in groups.items()]
    group = None
    for c in diff.changes if details else ():
        if (c.concept, c.lang) != group:
            group = (c.concept, c.lang)
            lines += ([""] if lines[-1] else []) + [f"#### {c.concept} ({c.lang})", ""]
        detail = f": {shown(_field_text(c.fields))}" if c.fields else ""
        lines.append(f"- {c.change} {_code(c.term)}{detail}")
    return "\n".join(lines) + "\n"


# --- git revisions -----------------------------------------------------------------------------


def parse_revision(spec: str, other: str | None = None) -> tuple[str, Path] | None:
    """(rev, directory) for `git:REV` / `REV:path`, None for a plain directory.

    `git:REV` takes the directory from the other side of the comparison, else `lexicons`.
    """
    if Path(spec).is_dir():
        return None
    if spec.startswith("git:"):
        other_dir = Path(DEFAULT_DIR)
        if other:
            parsed = parse_revision(other)
            other_dir = parsed[1] if parsed else Path(other)
        return spec[4:], other_dir
    rev, sep, path = spec.partition(":")
    if not sep or not rev:
        raise UsageError(f"{spec}: not a directory, git:REV or REV:path")
    return rev, Path(path or ".")


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def git_root(directory: Path) -> Path | None:
    """The work tree holding `directory` (or its nearest existing parent), None outside git."""
    start = directory.resolve()
    while not start.is_dir():
        start = start.parent
    try:
        return Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())
    except UsageError:
        return None


def check_revision(rev: str) -> str:
    """`rev`, refused when git could read it as something else than a revision: an option
    (`--output=FILE` would have git archive write that file), or text with a control character."""
    if not rev or rev.startswith("-") or any(ch < " " or ch == "\x7f" for ch in rev):
        raise UsageError(f"{rev!r} is not a git revision (a branch, tag or commit; never starting with '-')")
    return rev


def extract_revision(rev: str, directory: Path, target: Path) -> None:
    """Write the tree of `directory` at `rev` into `target` (regular files only)."""
    check_revision(rev)
    root = git_root(directory)
    if root is None:
        raise UsageError(f"{directory}: not in a git repository")
    rel = directory.resolve().relative_to(root.resolve()).as_posix()
    # --end-of-options: whatever `rev` holds, git takes it as the tree to archive, never an option.
    data = _git(root, "archive", "--format=tar", "--end-of-options", f"{rev}:{'' if rel == '.' else rel}")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            # git archive writes plain relative paths; anything else is refused, not followed.
            if not member.isfile() or name.is_absolute() or ".." in name.parts:
                continue
            dest = target.joinpath(*name.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                dest.write_bytes(source.read())


@contextlib.contextmanager
def lexicon_dir(spec: str, other: str | None = None) -> Iterator[Path]:
    """A directory holding the lexicon `spec` names; revisions live until the block ends."""
    parsed = parse_revision(spec, other)
    if parsed is None:
        yield Path(spec)
        return
    with tempfile.TemporaryDirectory(prefix="wildcli-rev-") as tmp:
        extract_revision(parsed[0], parsed[1], Path(tmp))
        yield Path(tmp)


@contextlib.contextmanager
def roots_at(roots: Sequence[str], rev: str) -> Iterator[tuple[list[str], list[str]]]:
    """Each lexicon root as it was at `rev`, and the roots outside git that are used as they are."""
    with tempfile.TemporaryDirectory(prefix="wildcli-since-") as tmp:
        old, unversioned = [], []
        for i, root in enumerate(roots):
            if git_root(Path(root)) is None:
                old.append(root)
                unversioned.append(root)
                continue
            target = Path(tmp) / str(i)
            target.mkdir()
            extract_revision(rev, Path(root), target)
            old.append(str(target))
        yield old, unversioned
