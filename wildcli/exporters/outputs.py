"""Export files on disk: part names, atomic writes, staleness checks, deltas and manifests.

An export is one or more parts. The first list (the most severe action of a list format, or
the only file of a rules format) is written to `FILE` itself, its chunks over a target's size
limit to `<stem>.2<suffix>` ...; every other list to `<stem>.<role><suffix>`, and its chunks
to `<stem>.<role>.2<suffix>` ...: `blocklist.txt`, `blocklist.warn.txt`, `blocklist.allow.txt`.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wildcli.atomic import write_atomic
from wildcli.exporters.base import ALLOW_ROLE, Part
from wildcli.lexicon.actions import LIST_ACTIONS

MANIFEST_VERSION = 2
ROLES = (*(a.value for a in LIST_ACTIONS), ALLOW_ROLE)
"""Every list a list format may write beside the first one."""


def part_path(output: Path, part: Part, main: str) -> Path:
    """Where `part` goes when the export's first list has the role `main`."""
    infix = "" if part.role == main else f".{part.role}"
    index = "" if part.index == 1 else f".{part.index}"
    if not infix and not index:
        return output
    return output.with_name(f"{output.stem}{infix}{index}{output.suffix}")


def _main(parts: Sequence[Part]) -> str:
    return parts[0].role if parts else ""


def part_paths(output: Path, parts: Sequence[Part]) -> list[Path]:
    main = _main(parts)
    return [part_path(output, p, main) for p in parts] or [output]


def obsolete_parts(output: Path, parts: Sequence[Part]) -> list[Path]:
    """Files an earlier, longer or wider export left that this one does not write: consumers
    would load them as current (a chunk beyond the last, the list of an action no longer asked for)."""
    main = _main(parts)
    written = set(part_paths(output, parts))
    found = []
    for role in dict.fromkeys((main, *ROLES)):
        index = 1
        while True:
            path = part_path(output, Part("", role, index), main)
            if path not in written and not path.is_file():
                break
            if path not in written:
                found.append(path)
            index += 1
    return found


def write_parts(output: Path, parts: Sequence[Part]) -> list[Path]:
    """Write every part atomically, then remove obsolete parts; returns the paths written."""
    paths = part_paths(output, parts)
    for path, part in zip(paths, parts or (Part("", ""),), strict=True):
        write_atomic(path, part.text)
    for stale in obsolete_parts(output, parts):
        stale.unlink()
    return paths


@dataclass(frozen=True)
class FileCheck:
    """How one expected (or obsolete) output file compares with a fresh rendering."""

    path: Path
    state: str  # fresh | stale | missing | obsolete
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def check_parts(output: Path, parts: Sequence[Part]) -> list[FileCheck]:
    """Compare the fresh parts with the files on disk; writes nothing."""
    checks = []
    for path, part in zip(part_paths(output, parts), parts or (Part("", ""),), strict=True):
        if not path.is_file():
            checks.append(FileCheck(path, "missing", added=tuple(part.text.splitlines())))
            continue
        old = path.read_bytes()
        if old == part.text.encode("utf-8"):
            checks.append(FileCheck(path, "fresh"))
            continue
        added, removed = delta(old.decode("utf-8", errors="replace"), part.text)
        checks.append(FileCheck(path, "stale", tuple(added), tuple(removed)))
    checks.extend(FileCheck(p, "obsolete") for p in obsolete_parts(output, parts))
    return checks


def item_lines(text: str, comment_prefix: str | None = None) -> list[str]:
    return [line for line in text.splitlines() if not (comment_prefix and line.startswith(comment_prefix))]


def delta(old: str, new: str, comment_prefix: str | None = None) -> tuple[list[str], list[str]]:
    """Lines added and removed (as multisets, sorted), ignoring header lines."""
    before = Counter(item_lines(old, comment_prefix))
    after = Counter(item_lines(new, comment_prefix))
    return sorted((after - before).elements()), sorted((before - after).elements())


def by_role(parts: Sequence[Part]) -> dict[str, str]:
    """Each list's text, its chunks joined, in the order of the parts."""
    texts: dict[str, list[str]] = defaultdict(list)
    for part in parts:
        texts[part.role].append(part.text)
    return {role: "".join(chunks) for role, chunks in texts.items()}


def list_deltas(
    old: Sequence[Part], new: Sequence[Part], output: Path, comment_prefix: str | None = None
) -> dict[str, tuple[list[str], list[str], Path]]:
    """Per list of the new export: the lines added and removed since `old`, and the file of
    that list (its first part), beside which the delta files go."""
    before, after = by_role(old), by_role(new)
    first: dict[str, Path] = {}
    for path, part in zip(part_paths(output, new), new, strict=True):
        first.setdefault(part.role, path)
    return {
        role: (*delta(before.get(role, ""), text, comment_prefix), first[role])
        for role, text in after.items()
    }


def delta_paths(output: Path) -> tuple[Path, Path]:
    """`<output>.added` and `<output>.removed`: what an incremental sync must add and remove."""
    return output.with_name(output.name + ".added"), output.with_name(output.name + ".removed")


def write_delta(output: Path, added: list[str], removed: list[str]) -> tuple[Path, Path]:
    added_path, removed_path = delta_paths(output)
    write_atomic(added_path, "".join(line + "\n" for line in added))
    write_atomic(removed_path, "".join(line + "\n" for line in removed))
    return added_path, removed_path


def file_entry(path: Path, relative_to: Path, role: str | None = None) -> dict[str, Any]:
    data = path.read_bytes()
    entry = {
        "path": Path(os.path.relpath(path.resolve(), relative_to.resolve())).as_posix(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "lines": data.count(b"\n"),
    }
    if role is not None:
        entry["role"] = role
    return entry


def manifest(
    summary: dict[str, Any], files: list[tuple[Path, str | None]], manifest_path: Path
) -> dict[str, Any]:
    """The manifest document: `summary` (format, lexicon, options, counts) plus a hash per file,
    with the list it holds (an action, `allow`, or `rules`; deltas have none).

    Paths are relative to the manifest's folder and there is no timestamp, so the manifest of
    an unchanged export is byte-identical too.
    """
    base = manifest_path.parent
    return {
        "manifest_version": MANIFEST_VERSION, **summary,
        "files": [file_entry(p, base, role) for p, role in files],
    }
