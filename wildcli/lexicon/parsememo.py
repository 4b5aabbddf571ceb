"""Lexicon files already parsed, remembered on disk by name and text.

Parsing the YAML of every file is most of `wildcli lint FILE`: the file's whole lexicon is
loaded to check it. A file whose name and text are unchanged since the last lint is taken from
here instead, so only what changed is parsed again. An unreadable or foreign memo is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from wildcli import __version__
from wildcli.lexicon.yamlfile import YamlDocument, parse_yaml

FORMAT = 1
"""Bump when YamlDocument or the parsing rules change what a parse gives."""

_Key = tuple[str, str]


class ParseMemo:
    """`parse` as `yamlfile.parse_yaml` does, remembering each result; `save` keeps, for next
    time, the files parsed or looked up in this run (so the memo holds one lexicon's files)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._known: dict[_Key, YamlDocument] = _read(path) if path is not None else {}
        self._used: dict[_Key, YamlDocument] = {}
        self._parsed = 0

    def parse(self, text: str, name: str) -> YamlDocument:
        key = (name, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        doc = self._known.get(key)
        if doc is None:
            doc = parse_yaml(text, name)
            self._parsed += 1
        self._used[key] = doc
        return doc

    @property
    def parsed(self) -> int:
        """Files parsed in this run, as they were not remembered."""
        return self._parsed

    def save(self) -> None:
        if self.path is None or (not self._parsed and self._used.keys() == self._known.keys()):
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".parsed-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    pickle.dump((_stamp(), self._used), out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise


def _stamp() -> str:
    return f"{FORMAT}\0{__version__}\0{sys.version}"


def _read(path: Path) -> dict[_Key, YamlDocument]:
    try:
        with path.open("rb") as handle:
            stamp, known = pickle.load(handle)
    except Exception:  # missing, cut short, or written by another version: parse afresh
        return {}
    if stamp != _stamp() or not isinstance(known, dict):
        return {}
    return known


def memo_for(roots: list[Path], cache_dir: Path) -> ParseMemo | None:
    """The memo for lexicons at `roots` under `cache_dir`, or None when caching is turned off."""
    if os.environ.get("WILDCLI_NO_CACHE"):
        return None
    key = hashlib.sha256("\0".join(str(r.resolve()) for r in roots).encode()).hexdigest()[:24]
    return ParseMemo(cache_dir / f"parsed-{key}.pickle")
