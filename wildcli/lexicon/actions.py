"""Platform actions: what a platform does with a text, derived from the severity of what it matched.

`block` refuses the results; `warn` shows an interstitial or notice (the `review` tier); `monitor`
logs the search and changes nothing for the user; `allow` is the answer when nothing matched.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from wildcli.lexicon.model import Severity


class Action(str, enum.Enum):
    """Ordered: block > warn > monitor > allow."""

    ALLOW = "allow"
    MONITOR = "monitor"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def of(cls, severity: Severity) -> Action:
        """The action a finding of `severity` asks for."""
        return _OF_SEVERITY[severity]

    @classmethod
    def strongest(cls, actions: Iterable[Action]) -> Action:
        """The most severe of `actions`; `allow` when there are none."""
        return max(actions, key=lambda a: a.rank, default=cls.ALLOW)


_RANK = {Action.ALLOW: 0, Action.MONITOR: 1, Action.WARN: 2, Action.BLOCK: 3}
_OF_SEVERITY = {Severity.BLOCK: Action.BLOCK, Severity.REVIEW: Action.WARN, Severity.MONITOR: Action.MONITOR}

LIST_ACTIONS = (Action.BLOCK, Action.WARN, Action.MONITOR)
"""The actions a blocklist can hold, most severe first."""
