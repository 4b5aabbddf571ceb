"""Safe YAML reading for lexicon files: YAML 1.2 scalars, no aliases or tags, line numbers kept.

PyYAML resolves scalars the YAML 1.1 way (`no` -> False, `2024-05-01` -> date), which silently
corrupts a multilingual lexicon (Norwegian "no"). We only let PyYAML compose the node graph and
resolve plain scalars ourselves with the YAML 1.2 core schema.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wildcli.errors import LexiconError, Location

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest lexicon file accepted; the biggest bundled file is a few tens of kilobytes."""
MAX_DEPTH = 32
MAX_NODES = 200_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    # The tags the resolver gives untagged nodes; an explicit `!!binary` or `!!set` is refused.
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

_QUOTED_STYLES = frozenset({"'", '"', "|", ">"})

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data of one YAML file plus the line (1-based) of every mapping value and list item."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    text: str = ""

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its closest located ancestor."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None

    def location(self, path: Path_) -> Location:
        return Location(self.path, self.line_of(path), field=format_path(path) or None)


def format_path(path: Path_) -> str:
    """`('terms', 3, 'sources')` -> `terms[3].sources`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def read_yaml(
    path: Path, display: str | None = None, parse: Callable[[str, str], YamlDocument] | None = None
) -> YamlDocument:
    """Read one lexicon file; raise LexiconError with a location on any problem. `parse`: how
    its text becomes a document (`parse_yaml`, or a memo of earlier parses)."""
    name = display or str(path)
    try:
        # O_NONBLOCK: a FIFO planted as a lexicon file must not hang the loader on open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise LexiconError("not a regular file", Location(name))
            if info.st_size > MAX_FILE_BYTES:
                message = f"file is {info.st_size} bytes, the limit is {MAX_FILE_BYTES}"
                raise LexiconError(message, Location(name))
            raw = handle.read(MAX_FILE_BYTES + 1)  # bounded even if the file grows meanwhile
        if len(raw) > MAX_FILE_BYTES:
            raise LexiconError(f"file is over the limit of {MAX_FILE_BYTES} bytes", Location(name))
    except OSError as exc:
        raise LexiconError(f"cannot read: {exc.strerror or exc}", Location(name)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconError("not valid UTF-8", Location(name, line)) from None
    return (parse or parse_yaml)(text, name)


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse YAML text into a YamlDocument (see read_yaml)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise LexiconError(f"invalid YAML: {problem}", Location(name, line)) from None
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise LexiconError(f"invalid YAML: U+{ord(char):04X} is not allowed", Location(name, line)) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().split("\n", 1)[0]  # messages stay one line
        raise LexiconError(f"invalid YAML: {first}", Location(name)) from None
    except RecursionError:  # only without libyaml: the pure-Python composer recurses per level
        raise LexiconError(f"nested deeper than {MAX_DEPTH} levels", Location(name)) from None
    doc = YamlDocument(name, None, text=text)
    if node is None:
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    return doc


class _Builder:
    """Turns a composed node graph into plain data, enforcing the safety rules."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.count = 0

    def fail(self, message: str, node: yaml.Node) -> LexiconError:
        return LexiconError(message, Location(self.doc.path, node.start_mark.line + 1))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"more than {MAX_NODES} YAML nodes", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels", node)
        if id(node) in self.seen:
            raise self.fail("anchors and aliases are not allowed in lexicon files", node)
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            raise self.fail(f"YAML tag {node.tag!r} is not allowed", node)
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes only these three kinds
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("mapping keys must be plain strings", key_node)
            if key_node.value == "<<" and key_node.tag.endswith(":merge"):
                raise self.fail("merge keys (<<) are not allowed in lexicon files", key_node)
            key = str(key_node.value)
            if key in result:
                raise self.fail(f"duplicate key {key!r}", key_node)
            child: Path_ = (*path, key)  # not inline: mypy 2 misreads d[(*p, k)] as 3.11 syntax
            self.doc.lines[child] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child, depth + 1)
        return result

    @staticmethod
    def scalar(node: yaml.ScalarNode) -> Any:
        value: str = node.value
        if node.style in _QUOTED_STYLES or node.tag == "tag:yaml.org,2002:str":
            return value
        return resolve_plain(value)


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar read with the YAML 1.2 core schema: null, bool, int, float or
    the string itself. `no`, `on` and `2024-05-01` stay strings, unlike YAML 1.1."""
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value
