"""Export files on disk: part names, atomic writes, staleness checks, deltas and manifests."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wildcli.atomic import write_atomic

MANIFEST_VERSION = 1


def part_path(output: Path, index: int) -> Path:
    """Part 1 is `output` itself; part k is `<stem>.<k><suffix>` (negatives.txt, negatives.2.txt)."""
    if index == 1:
        return output
    return output.with_name(f"{output.stem}.{index}{output.suffix}")


def part_paths(output: Path, count: int) -> list[Path]:
    return [part_path(output, k) for k in range(1, max(count, 1) + 1)]


def obsolete_parts(output: Path, count: int) -> list[Path]:
    """Parts left over from an earlier, longer export: consumers would load them as current."""
    found = []
    k = max(count, 1) + 1
    while (path := part_path(output, k)).is_file():
        found.append(path)
        k += 1
    return found


def write_parts(output: Path, parts: tuple[str, ...]) -> list[Path]:
    """Write every part atomically, then remove obsolete parts; returns the paths written."""
    paths = part_paths(output, len(parts))
    for path, text in zip(paths, parts or ("",), strict=True):
        write_atomic(path, text)
    for stale in obsolete_parts(output, len(parts)):
        stale.unlink()
    return paths


@dataclass(frozen=True)
class FileCheck:
    """How one expected (or obsolete) output file compares with a fresh rendering."""

    path: Path
    state: str  # fresh | stale | missing | obsolete
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def check_parts(output: Path, parts: tuple[str, ...]) -> list[FileCheck]:
    """Compare the fresh parts with the files on disk; writes nothing."""
    checks = []
    for path, text in zip(part_paths(output, len(parts)), parts or ("",), strict=True):
        if not path.is_file():
            checks.append(FileCheck(path, "missing", added=tuple(text.splitlines())))
            continue
        old = path.read_bytes()
        if old == text.encode("utf-8"):
            checks.append(FileCheck(path, "fresh"))
            continue
        added, removed = delta(old.decode("utf-8", errors="replace"), text)
        checks.append(FileCheck(path, "stale", tuple(added), tuple(removed)))
    checks.extend(FileCheck(p, "obsolete") for p in obsolete_parts(output, len(parts)))
    return checks


def item_lines(text: str, comment_prefix: str | None = None) -> list[str]:
    return [line for line in text.splitlines() if not (comment_prefix and line.startswith(comment_prefix))]


def delta(old: str, new: str, comment_prefix: str | None = None) -> tuple[list[str], list[str]]:
    """Lines added and removed (as multisets, sorted), ignoring header lines."""
    before = Counter(item_lines(old, comment_prefix))
    after = Counter(item_lines(new, comment_prefix))
    return sorted((after - before).elements()), sorted((before - after).elements())


def delta_paths(output: Path) -> tuple[Path, Path]:
    """`<output>.added` and `<output>.removed`: what an incremental sync must add and remove."""
    return output.with_name(output.name + ".added"), output.with_name(output.name + ".removed")


def write_delta(output: Path, added: list[str], removed: list[str]) -> tuple[Path, Path]:
    added_path, removed_path = delta_paths(output)
    write_atomic(added_path, "".join(line + "\n" for line in added))
    write_atomic(removed_path, "".join(line + "\n" for line in removed))
    return added_path, removed_path


def file_entry(path: Path, relative_to: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {
        "path": Path(os.path.relpath(path.resolve(), relative_to.resolve())).as_posix(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "lines": data.count(b"\n"),
    }


def manifest(
    summary: dict[str, Any], files: list[Path], manifest_path: Path
) -> dict[str, Any]:
    """The manifest document: `summary` (format, lexicon, options, counts) plus a hash per file.

    Paths are relative to the manifest's folder and there is no timestamp, so the manifest of
    an unchanged export is byte-identical too.
    """
    base = manifest_path.parent
    return {"manifest_version": MANIFEST_VERSION, **summary, "files": [file_entry(p, base) for p in files]}
