"""`wildcli serve`: answer `check` over HTTP, for a platform's search box (the `serve` extra)."""

from __future__ import annotations

from pathlib import Path

import typer

from wildcli.cli import options as shared
from wildcli.cli.console import ExitCode, fail, warn
from wildcli.lexicon.model import Severity


def serve_command(
    lexicon: list[Path] = shared.LexiconOption,
    no_bundled: bool = shared.NoBundledOption,
    min_severity: Severity = typer.Option(Severity.MONITOR, "--min-severity", help="Report only findings at least this severe (as check)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes; each holds its own lexicon and answers on the same port."),
    token_file: Path = typer.Option(None, "--token-file", metavar="FILE", help="Require a bearer token: the accepted tokens, one a line (not on the command line, where ps would show it).", show_default=False),
    max_body: int = typer.Option(1 << 20, "--max-body", min=64, metavar="BYTES", help="Largest request body."),
    max_batch: int = typer.Option(1000, "--max-batch", min=1, metavar="N", help="Most queries in one request."),
    max_query: int = typer.Option(4096, "--max-query", min=1, metavar="CHARS", help="Longest query, in characters."),
    timeout: float = typer.Option(5.0, "--timeout", min=0.01, metavar="SECONDS", help="Longest time from a request's first byte to its answer."),
    watch: float = typer.Option(2.0, "--watch", min=0.0, metavar="SECONDS", help="How often to look for changed lexicon files (0: reload on SIGHUP only)."),
    log_queries: bool = typer.Option(False, "--log-queries", help="Write the query texts into the request log (they are personal data)."),
    log_level: str = typer.Option("info", "--log-level", metavar="LEVEL", help="debug, info (a line per request), warning or error."),
) -> None:
    """Answer `wildcli check` over HTTP: POST /v1/check with {"query": ...} or {"queries": [...]}
    returns the action (block, warn, monitor, allow) and the findings of each query.

    Also GET /v1/lexicon, /healthz, /readyz, /metrics (Prometheus) and /openapi.json. The
    lexicon is reloaded on SIGHUP and when its files change; a reload that fails lint keeps
    the previous lexicon. SIGINT or SIGTERM finish the requests in flight and exit 0.
    """
    from wildcli.server import missing_modules

    missing = missing_modules()
    if missing:
        fail(f"wildcli serve needs {', '.join(missing)}: pip install 'wildcli[serve]'", ExitCode.USAGE)
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        fail(f"unknown --log-level {log_level!r}: debug, info, warning or error", ExitCode.USAGE)
    from wildcli.errors import InputError, LexiconError
    from wildcli.server.lexicon import load, problem_lines
    from wildcli.server.options import ServeOptions, read_tokens
    from wildcli.server.run import serve

    dirs = [str(p) for p in lexicon or []]
    if no_bundled and not dirs:
        fail("--no-bundled needs at least one --lexicon directory", ExitCode.USAGE)
    options = ServeOptions(
        lexicons=tuple(dirs), with_bundled=not no_bundled, min_severity=min_severity,
        token_file=str(token_file) if token_file else None, max_body=max_body, max_batch=max_batch,
        max_query=max_query,
        timeout=timeout, watch=watch, log_queries=log_queries,
    )
    if options.token_file:
        try:
            read_tokens(options.token_file)
        except InputError as error:
            fail(error, ExitCode.NO_INPUT)
    elif host not in ("127.0.0.1", "localhost", "::1"):
        warn(f"warning: listening on {host} without --token-file: whoever reaches the port can use the service")
    try:
        loaded = load(options)  # vetted as every reload is: a lexicon that fails lint never starts
    except LexiconError as error:
        problems = problem_lines(error)
        for problem in problems[:-1]:
            warn(f"error: {problem}")
        fail(problems[-1], ExitCode.LEXICON_ERROR)
    options = ServeOptions(**{**vars(options), "vetted_digest": loaded.digest})
    # With several workers, each loads its own from the compiled cache.
    serve(options, host=host, port=port, workers=workers, loaded=loaded if workers == 1 else None,
          log_level=log_level.lower())
