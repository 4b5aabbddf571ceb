"""A disk cache of compiled lexicons, so that `check` and small scans start in milliseconds.

Parsing the YAML files and compiling every spelling of every term is most of a short run. The
compiled form (lexicon, automaton keys, batch candidate test) is pickled under the user's cache
directory, keyed by the size and modification time of every lexicon file, the options that
change compilation, and the wildcli and Python versions; the automata themselves are rebuilt
from their keys, which is fast. The newest few entries are kept. Set WILDCLI_CACHE_DIR to move
the cache, or WILDCLI_NO_CACHE=1 to turn it off.

`wildcli lint` keeps the compiled keys of the lexicon it checks the same way, keyed by the
contents of its files (`compiled_patterns`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from wildcli import __version__, collector
from wildcli.lexicon.bundled import bundled_lexicon_dir
from wildcli.lexicon.model import Lexicon
from wildcli.match.cachedir import cache_dir
from wildcli.match.keys import COMPILED_FORMAT, Patterns
from wildcli.match.matcher import Matcher, MatchOptions
from wildcli.match.prefilter import Prefilter

KEEP = 8
"""Compiled lexicons kept: older ones (other lexicons, other wildcli versions) are removed."""


def fingerprint(roots: Iterable[Path], obfuscation: bool) -> str:
    """Changes whenever a lexicon file, or wildcli's own code, is added, removed, resized or
    touched (the compiled form depends on both)."""
    digest = hashlib.sha256(f"{__version__}\0{COMPILED_FORMAT}\0{sys.version}\0{obfuscation}".encode())
    # The whole package: the compiled keys depend on the text code (normalisation, tones,
    # skeletons) as much as on the matcher's own.
    for root in (Path(__file__).parent.parent, *roots):
        digest.update(f"\0root\0{root.resolve()}".encode())
        if not root.is_dir():
            continue
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(directory, name)
                with contextlib.suppress(OSError):
                    st = os.stat(path)
                    digest.update(f"\0{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def load_matcher(
    dirs: Iterable[str | os.PathLike[str]] = (),
    *,
    with_bundled: bool = True,
    options: MatchOptions | None = None,
    short_run: bool = False,
) -> Matcher:
    """A Matcher over the lexicon layers, from the cache when nothing changed since last time.

    `short_run` (one text, a small file) trades scanning speed for a faster start. Lexicon
    errors are raised exactly as `load_lexicon` raises them (a broken lexicon is never cached).
    """
    matcher = _load(dirs, with_bundled, options or MatchOptions())
    matcher.patterns.dfa = not short_run
    return matcher


def _load(dirs: Iterable[str | os.PathLike[str]], with_bundled: bool, options: MatchOptions) -> Matcher:
    given = [Path(d) for d in dirs]
    roots = ([bundled_lexicon_dir()] if with_bundled or not given else []) + given
    if os.environ.get("WILDCLI_NO_CACHE"):
        return _compile(given, with_bundled, options)
    path = cache_dir() / f"matcher-{fingerprint(roots, options.obfuscation)}.pickle"
    cached = _read(path)
    if cached is not None:
        lexicon, patterns, prefilter = cached
        # Still unseen by the collector: the matcher's own tables (the fuzzy index) allocate
        # enough to start a full collection over the objects just read, 0.12 s with a 10,000-
        # term lexicon, which a caller that freezes the matcher (the CLI) never needs.
        with collector.paused():
            return Matcher(lexicon, options, patterns=patterns, prefilter=prefilter)
    matcher = _compile(given, with_bundled, options)
    _write(path, (matcher.lexicon, matcher.patterns, matcher.prefilter()))
    return matcher


def compiled_patterns(lexicon: Lexicon, *, obfuscation: bool) -> Patterns:
    """The compiled keys of a loaded `lexicon`, from the cache when a lexicon of the same file
    contents (`Lexicon.digest`) was compiled before: what `wildcli lint` runs examples with.

    Keyed by contents, not file times, so an edit is never missed; and the cached terms must
    equal the lexicon's own, which then replace them (their locations are this run's)."""
    if os.environ.get("WILDCLI_NO_CACHE") or not lexicon.digest:
        return Patterns(lexicon, obfuscation=obfuscation)
    key = hashlib.sha256(f"{lexicon.digest}\0{len(lexicon.roots)}".encode())
    key.update(fingerprint((), obfuscation).encode())  # wildcli's version and code
    path = cache_dir() / f"patterns-{key.hexdigest()}.pickle"
    cached = _read_patterns(path, lexicon)
    if cached is not None:
        return cached
    patterns = Patterns(lexicon, obfuscation=obfuscation)
    _write(path, (lexicon.concepts, patterns))
    return patterns


def _read_patterns(path: Path, lexicon: Lexicon) -> Patterns | None:
    try:
        with path.open("rb") as handle, collector.paused():
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Patterns)):
        return None
    concepts, patterns = value[0], value[1]
    terms = {t.key: t for t in lexicon.terms}
    if concepts != lexicon.concepts or any(terms.get(c.term.key) != c.term for c in patterns.terms):
        return None
    for compiled in patterns.terms:
        compiled.term = terms[compiled.term.key]
    return patterns


def _compile(given: list[Path], with_bundled: bool, options: MatchOptions) -> Matcher:
    from wildcli.lexicon.loader import load_lexicon  # the YAML machinery, only when needed

    return Matcher(load_lexicon(given, with_bundled=with_bundled), options)


def _read(path: Path) -> tuple[Lexicon, Patterns, Prefilter] | None:
    try:
        with path.open("rb") as handle, collector.paused():
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if not (
        isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], Lexicon)
        and isinstance(value[1], Patterns) and isinstance(value[2], Prefilter)
    ):
        return None
    return value[0], value[1], value[2]


def _write(path: Path, value: object) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        import tempfile  # only when writing, which most runs do not

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name.partition('-')[0]}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(path.parent, path.name.partition("-")[0])


def _prune(folder: Path, kind: str) -> None:
    """Every change of a lexicon file or of wildcli writes a new entry: keep the newest few."""
    entries = []
    for entry in folder.glob(f"{kind}-*.pickle"):
        with contextlib.suppress(OSError):
            entries.append((entry.stat().st_mtime_ns, entry))
    for _, entry in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            entry.unlink()


def example_judge(lexicon: Lexicon, base: Matcher | None = None) -> Matcher:
    """The matcher `wildcli lint` runs examples and counter-examples through, handed to the lint
    rules by `lint_lexicon`: compiled keys from the cache, on the NFA, which a few thousand short
    examples need far sooner than the DFA is built. With `base`, the judge of a lexicon that
    `lexicon` only adds terms to (proposed terms previewed as approved), its keys are extended
    rather than compiled again."""
    if base is not None:
        patterns = base.patterns.extended(lexicon)
    else:
        patterns = compiled_patterns(lexicon, obfuscation=True)
    patterns.dfa = False
    return Matcher(lexicon, patterns=patterns)
