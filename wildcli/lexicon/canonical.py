"""The canonical layout of lexicon files, written with ruamel.yaml so that comments survive.

Reviewers read lexicon pull requests as diffs; one layout per file keeps those diffs to the change.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
)

from wildcli.errors import LexiconError, Location
from wildcli.lexicon.fastlayout import canonical_layout
from wildcli.lexicon.parse import CONCEPT_KEYS, SOURCE_KEYS, SPECIES_KEYS, TERM_KEYS
from wildcli.lexicon.scalars import ALWAYS_QUOTED, FLOW_LISTS, FLOW_MAX, escape_hidden, needs_quotes, sort_key
from wildcli.lexicon.yamlfile import YamlDocument, parse_yaml, resolve_plain

CONCEPT_FILE = "concept.yaml"
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S*?)([a-z]+)\.schema\.json$")

class _StringsResolver(VersionedResolver):
    """Resolves no plain scalar: every one loads as a string and `resolve_plain` types it."""

    @property
    def versioned_resolver(self) -> dict[Any, Any]:
        return {}


class _Emitter(RoundTripEmitter):
    """Quotes with double quotes only, so a file never mixes two quoting styles."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def load_roundtrip(text: str, name: str) -> Any:
    """Load `text` keeping comments; plain scalars are typed the way the loader types them."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _StringsResolver
    yaml.preserve_quotes = True
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or exc
        raise LexiconError(f"invalid YAML: {problem}", Location(name, line)) from None
    return _retype(data, None)


def dump_roundtrip(data: Any, schema_line: str) -> str:
    """Render loaded data in the canonical layout, headed by `schema_line`."""
    yaml = YAML(typ="rt")
    yaml.Emitter = _Emitter
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000  # never fold a long example sentence onto two lines
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(data, stream)
    body = escape_hidden(stream.getvalue())
    return f"{schema_line}\n{body}"


def _retype(node: Any, key: str | None) -> Any:
    """Type plain scalars as the loader does and give each string its canonical quoting."""
    if isinstance(node, CommentedMap):
        items = [(k, _retype(v, str(k))) for k, v in node.items()]
        for k, _ in items:  # re-adding the keys drops their old quoting; comments are kept by key
            del node[k]
        for k, v in items:
            node[_styled(k, needs_quotes(k)) if isinstance(k, str) else k] = v  # keys are never typed
        node.fa.set_block_style()
        return node
    if isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            node[i] = _retype(item, key)
        node.fa.set_block_style()
        return node
    if type(node) is str:
        node = resolve_plain(node)
    if not isinstance(node, str) or isinstance(node, LiteralScalarString | FoldedScalarString):
        return node
    return _styled(node, key in ALWAYS_QUOTED or needs_quotes(node))


def _styled(value: str, quoted: bool) -> str:
    # Both are ScalarString subclasses: given a plain str, ruamel would keep the old quoting.
    styled: str = DoubleQuotedScalarString(value) if quoted else PlainScalarString(value)
    return styled


def _order(mapping: Any, keys: tuple[str, ...]) -> None:
    """Put known keys in schema order; unknown ones follow in their order (lint reports them)."""
    if not isinstance(mapping, CommentedMap):
        return
    rank = {k: i for i, k in enumerate(keys)}
    for k in sorted(mapping, key=lambda k: rank.get(str(k), len(keys))):
        mapping.move_to_end(k)


def _sort_terms(seq: CommentedSeq) -> None:
    """Sort a terms list in place, moving each item's comments along with it."""
    order = sorted(range(len(seq)), key=lambda i: sort_key(seq[i]))
    items = list(seq)
    comments = dict(seq.ca.items)
    for new, old in enumerate(order):
        seq[new] = items[old]
    seq.ca.items.clear()
    seq.ca.items.update({new: comments[old] for new, old in enumerate(order) if old in comments})


def _style_lists(entry: CommentedMap, indent: int) -> None:
    for key, value in entry.items():
        if not isinstance(value, CommentedSeq):
            continue
        inline = indent + len(str(key)) + 4 + sum(len(str(v)) + 4 for v in value)
        if key in FLOW_LISTS and inline <= FLOW_MAX:
            value.fa.set_flow_style()
        else:
            value.fa.set_block_style()


def canonicalize(data: Any, is_concept: bool) -> Any:
    """Reorder keys, sort terms and set list styles of a round-trip document, in place."""
    if not isinstance(data, CommentedMap):
        return data
    _order(data, CONCEPT_KEYS if is_concept else ("terms",))
    _style_lists(data, 0)
    if is_concept:
        for species in _items(data.get("species")):
            _order(species, SPECIES_KEYS)
        return data
    terms = data.get("terms")
    if isinstance(terms, CommentedSeq):
        _sort_terms(terms)
        for entry in terms:
            if isinstance(entry, CommentedMap):
                _order(entry, TERM_KEYS)
                _style_lists(entry, 4)
                for source in _items(entry.get("sources")):
                    _order(source, SOURCE_KEYS)
    return data


def _items(value: Any) -> Any:
    """The items of a list; nothing for any other value (lint reports it, fmt leaves it)."""
    return value if isinstance(value, CommentedSeq) else ()


def schema_line(path: Path, first_line: str | None = None) -> str:
    """The schema comment for `path`: the existing one if it names the right schema."""
    name = "concept" if path.name == CONCEPT_FILE else "terms"
    match = SCHEMA_LINE.match(first_line or "")
    if match and match.group(2) == name:
        return match.group(0)
    target = os.path.relpath(SCHEMA_DIR / f"{name}.schema.json", path.resolve().parent)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


def laid_out(data: Any, path: Path, first_line: str | None = None) -> str | None:
    """The canonical text of the file at `path` holding `data` and no comment, written without
    ruamel.yaml (see fastlayout); None when only the round trip can tell."""
    body = canonical_layout(data, path.name == CONCEPT_FILE)
    return None if body is None else f"{schema_line(path, first_line)}\n{body}"


def format_text(text: str, path: Path, display: str | None = None, before: YamlDocument | None = None) -> str:
    """The canonical text of a lexicon file; raises LexiconError if it cannot be read safely.
    `before` is `text` as parse_yaml reads it, when the caller has it already."""
    name = display or str(path)
    before = before or parse_yaml(text, name)  # refuse what the loader refuses, with the same message
    # Most files are canonical already: when the layout written straight from the data is the
    # file itself, ruamel.yaml's round trip (twenty times slower) would only confirm it.
    if laid_out(before.data, path, text.partition("\n")[0]) == text:
        return text
    return round_trip(text, path, name, before)


def round_trip(text: str, path: Path, display: str | None = None, before: YamlDocument | None = None) -> str:
    """format_text the slow way, always through ruamel.yaml (which keeps comments); `before` is
    the text as the loader reads it, when the caller has it already."""
    name = display or str(path)
    before = before or parse_yaml(text, name)
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    first, _, rest = text.partition("\n")
    header = schema_line(path, first)
    body = rest if SCHEMA_LINE.match(first) else text
    data = canonicalize(load_roundtrip(body, name), path.name == CONCEPT_FILE)
    if data is None:  # nothing but comments: ruamel would drop them, so keep the text as is
        return f"{header}\n{body.strip()}\n" if body.strip() else f"{header}\n"
    result = dump_roundtrip(data, header)
    try:  # a formatter bug must never reach the file: check the result reads back the same
        same = comparable(parse_yaml(result, name).data) == comparable(before.data)
    except LexiconError:
        same = False
    if not same:
        raise LexiconError("formatting would change the data; the file was left as it is", Location(name))
    return result


def comparable(data: Any) -> Any:
    """The data with terms in canonical order: what formatting must leave unchanged."""
    if isinstance(data, dict) and isinstance(data.get("terms"), list):
        return {**data, "terms": sorted(data["terms"], key=sort_key)}
    return data


def format_file(path: Path, display: str | None = None) -> str:
    """The canonical text of the file at `path` (the file itself is not touched)."""
    name = display or str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot read: {exc.strerror or exc}", Location(name)) from None
    except UnicodeDecodeError:
        raise LexiconError("not valid UTF-8", Location(name)) from None
    return format_text(text, path, name)
