"""Whether a key of the skeleton view may overlap a rewritten run of letters: the batch test's
way (wildcli.match.prefilter) to tell a disguised term from a model number without building the view."""

from __future__ import annotations

import re

import ahocorasick_rs

from wildcli.match.keys import build_automaton
from wildcli.text.scripts import breaks_word

ALNUM = re.compile(r"[^\W_]+")
"""A run of letters and digits."""


class KeyRuns:
    """The letter runs (letters and digits) of some keys, by where they stand in their key, to
    tell whether a key may overlap a rewritten token of the skeleton view.

    A token is a longest run of letters, digits and leet symbols, so the characters around it
    are none of these, and its rewrite holds only letters and digits. A key overlapping the
    rewrite therefore meets it in one whole run of its own: a run with more of the key on both
    sides is the rewrite; one that only ends the key begins it, one that only begins the key
    ends it; a key of one run lies inside it. A key that needs a word boundary cannot start or
    end next to a letter of the rewrite (no separator was removed inside a token).
    """

    def __init__(self) -> None:
        self.inner: set[str] = set()
        # run -> whether every key it begins (ends) needs a word boundary before (after) it
        self.heads: dict[str, bool] = {}
        self.tails: dict[str, bool] = {}
        self.whole: dict[str, tuple[bool, bool]] = {}
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._keys: list[str] = []

    def __getstate__(self) -> dict[str, object]:
        return self.__dict__ | {"_automaton": None}

    def add(self, key: str, before: bool, after: bool) -> None:
        """A key whose entries all need a word boundary `before` and/or `after` it."""
        for m in ALNUM.finditer(key):
            run, first, last = m.group(), m.start() == 0, m.end() == len(key)
            if first and last:
                old = self.whole.get(run, (True, True))
                self.whole[run] = (old[0] and before, old[1] and after)
            elif first:
                self.heads[run] = self.heads.get(run, True) and before
            elif last:
                self.tails[run] = self.tails.get(run, True) and after
            else:
                self.inner.add(run)

    def automaton(self) -> ahocorasick_rs.AhoCorasick:
        """Of the keys of one run, built on first use."""
        if self._automaton is None:
            self._keys = sorted(self.whole) or ["\0"]
            self._automaton = build_automaton(self._keys)
        return self._automaton

    def may_overlap(self, rewrite: str, bounded: bool = True) -> bool:
        """Whether some key may overlap `rewrite`, a longest run of letters and digits of the
        skeleton view. `bounded`: keys that need word boundaries have them only at its ends."""
        if rewrite in self.inner:
            return True
        size = len(rewrite)
        for i in range(size):
            needs = self.heads.get(rewrite[i:])
            if needs is not None and not (bounded and needs and i and breaks_word(rewrite[i - 1])):
                return True
        for i in range(1, size + 1):
            needs = self.tails.get(rewrite[:i])
            if needs is not None and not (bounded and needs and i < size and breaks_word(rewrite[i])):
                return True
        for key, start, end in self.automaton().find_matches_as_indexes(rewrite, overlapping=True):
            before, after = self.whole.get(self._keys[key], (True, True)) if bounded else (False, False)
            if not (before and start and breaks_word(rewrite[start - 1])) and not (
                after and end < size and breaks_word(rewrite[end])
            ):
                return True
        return False
