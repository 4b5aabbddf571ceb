"""Files on disk: part names, atomic replacement, staleness checks, deltas and manifests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from wildcli.exporters import outputs
from wildcli.exporters.base import Part


def parts(*texts: str, role: str = "block") -> tuple[Part, ...]:
    return tuple(Part(t, role, k) for k, t in enumerate(texts, 1))


def test_part_names(tmp_path: Path) -> None:
    out = tmp_path / "negatives.txt"
    assert outputs.part_paths(out, parts("", "", "")) == [out, tmp_path / "negatives.2.txt", tmp_path / "negatives.3.txt"]
    assert outputs.part_paths(out, ()) == [out]
    lists = (*parts("", ""), *parts("", role="warn"), *parts("", "", role="allow"))
    assert [p.name for p in outputs.part_paths(out, lists)] == [
        "negatives.txt", "negatives.2.txt", "negatives.warn.txt", "negatives.allow.txt", "negatives.allow.2.txt"]
    # The first list is FILE itself, whichever action it holds.
    assert outputs.part_paths(out, parts("", role="warn")) == [out]


def test_write_parts_removes_obsolete_parts(tmp_path: Path) -> None:
    out = tmp_path / "n.txt"
    outputs.write_parts(out, parts("a\n", "b\n", "c\n"))
    assert (tmp_path / "n.3.txt").read_text() == "c\n"
    assert outputs.write_parts(out, parts("a\n")) == [out]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.txt"]


def test_write_parts_removes_the_lists_of_actions_no_longer_exported(tmp_path: Path) -> None:
    out = tmp_path / "n.txt"
    outputs.write_parts(out, (*parts("a\n"), *parts("m\n", role="monitor"), *parts("x\n", "y\n", role="allow")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.allow.2.txt", "n.allow.txt", "n.monitor.txt", "n.txt"]
    outputs.write_parts(out, (*parts("a\n"), *parts("x\n", role="allow")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.allow.txt", "n.txt"]


def test_check_states(tmp_path: Path) -> None:
    out = tmp_path / "n.txt"
    outputs.write_parts(out, parts("a\nb\n", "c\n", "d\n"))
    checks = outputs.check_parts(out, parts("a\nb\n", "c\nx\n"))
    assert [(c.path.name, c.state, c.added, c.removed) for c in checks] == [
        ("n.txt", "fresh", (), ()),
        ("n.2.txt", "stale", ("x",), ()),
        ("n.3.txt", "obsolete", (), ()),
    ]
    assert outputs.check_parts(tmp_path / "none.txt", parts("a\n"))[0].state == "missing"


def test_an_interrupted_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "n.txt"
    out.write_text("previous\n")

    def crash(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("wildcli.atomic.os.fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_parts(out, parts("new\n" * 1000))
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["n.txt"]


def test_delta_ignores_headers_and_counts_duplicates() -> None:
    added, removed = outputs.delta("# v1\na\nb\nb\n", "# v2\nb\nc\n", comment_prefix="# ")
    assert (added, removed) == (["c"], ["a", "b"])
    assert outputs.delta("#tag\n", "#tag\n#new\n") == (["#new"], [])


def test_manifest_hashes_files_relative_to_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    f = tmp_path / "out" / "n.txt"
    f.write_bytes(b"a\nb\n")
    doc = outputs.manifest({"format": "txt"}, [(f, "block")], tmp_path / "manifest.json")
    assert doc == {
        "manifest_version": 2,
        "format": "txt",
        "files": [{"path": "out/n.txt", "sha256": hashlib.sha256(b"a\nb\n").hexdigest(), "bytes": 4, "lines": 2,
                   "role": "block"}],
    }
