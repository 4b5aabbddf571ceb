"""What a service is told at start: its lexicon layers, its limits and what it logs.

Worker processes are started afresh by the ASGI server, so the options travel to them as JSON in
an environment variable (`to_environment`, `from_environment`).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from wildcli.errors import InputError, InputUnavailable, Location
from wildcli.lexicon.bundled import bundled_lexicon_dir
from wildcli.lexicon.model import Severity
from wildcli.match.matcher import MatchOptions

ENVIRONMENT = "WILDCLI_SERVE_OPTIONS"
"""The variable that carries the options to worker processes."""


@dataclass(frozen=True)
class ServeOptions:
    """The service's settings; the defaults suit one search box on one host.

    `lexicons`, `with_bundled`, `min_severity`: the lexicon layers and threshold, as in
    `wildcli check`. `token_file`: a file of accepted bearer tokens, one a line (none: no
    authentication). `max_body` (bytes), `max_batch` (queries), `max_query` (characters of one
    query) and `timeout` (seconds, from the first byte of a request to its answer) bound what one
    request may cost. `watch`: seconds
    between looks at the lexicon files for changes (0: reload on SIGHUP only). `log_queries`:
    write the query texts into the request log (they are personal data: off by default).
    `vetted_digest`: the digest of the lexicon the starting process already linted, so workers
    that load the same files need not lint them again.
    """

    lexicons: tuple[str, ...] = ()
    with_bundled: bool = True
    min_severity: Severity = Severity.MONITOR
    token_file: str | None = None
    max_body: int = 1 << 20
    max_batch: int = 1000
    max_query: int = 4096
    timeout: float = 5.0
    watch: float = 2.0
    log_queries: bool = False
    vetted_digest: str | None = None

    @property
    def match_options(self) -> MatchOptions:
        """Exactly the options `wildcli check` matches with."""
        return MatchOptions(min_severity=self.min_severity, queries=True)

    @property
    def roots(self) -> list[Path]:
        """The lexicon directories in layer order, the bundled one first when it is used."""
        given = [Path(d) for d in self.lexicons]
        return ([bundled_lexicon_dir()] if self.with_bundled or not given else []) + given

    def to_environment(self) -> str:
        data = asdict(self)
        data["min_severity"] = self.min_severity.value
        return json.dumps(data)

    @classmethod
    def from_environment(cls, text: str | None = None) -> ServeOptions:
        text = os.environ.get(ENVIRONMENT, "{}") if text is None else text
        data = json.loads(text)
        data["lexicons"] = tuple(data.get("lexicons", ()))
        data["min_severity"] = Severity(data.get("min_severity", Severity.MONITOR.value))
        return cls(**data)


def read_tokens(path: str) -> tuple[str, ...]:
    """The bearer tokens of a token file: one a line; blank lines and `#` comments skipped.

    A file that cannot be read, or that holds no token, raises an InputError: a service told to
    authenticate must never start open.
    """
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not UTF-8 text"
        raise InputUnavailable(f"cannot read the token file: {reason.lower()}", Location(path)) from None
    lines = (line.strip() for line in text.splitlines())
    tokens = tuple(line for line in lines if line and not line.startswith("#"))
    if any(not (token.isascii() and token.isprintable()) or " " in token for token in tokens):
        raise InputError("a token must be printable ASCII without spaces", Location(path))
    if not tokens:
        raise InputError("the token file holds no token", Location(path))
    return tokens
