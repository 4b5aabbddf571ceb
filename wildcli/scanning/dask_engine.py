"""Scanning on a Dask cluster: the partitions of wildcli.scanning.partition run as tasks, emitted in order.

Workers open the dumps themselves, so they must see the same paths as the client (relative paths
are sent as absolute ones) and have wildcli installed. Needs the `dask` extra.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from typing import Any

from wildcli.errors import InputError, UsageError
from wildcli.lexicon.model import Lexicon
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher, MatchOptions
from wildcli.readers import ReadOptions
from wildcli.reports.summary import ScanSummary
from wildcli.scanning.local import RecordFilter
from wildcli.scanning.parallel import (
    ErrorEvent,
    PartResult,
    RecordFindings,
    Runner,
    in_order,
    run_scan,
    scan_partition,
)
from wildcli.scanning.partition import Partition, partition_bytes

INSTALL_HINT = "the dask engine needs Dask: pip install 'wildcli[dask]'"

_matchers: dict[tuple[object, MatchOptions], Matcher] = {}
_lock = threading.Lock()


def scan_paths_dask(
    paths: Sequence[str], matcher: Matcher, options: ReadOptions | None = None, *,
    scheduler: str | None = None, jobs: int = 1, summary: ScanSummary | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None, keep: RecordFilter | None = None,
    size: int | None = None,
) -> Iterator[Finding]:
    """`scan_paths` on the Dask cluster at `scheduler` (default: a local cluster of `jobs`
    processes): the same findings, counts and errors, in the same order.

    Each worker builds the matcher once from `matcher`'s lexicon and options. Raises UsageError
    when Dask is not installed.
    """
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    summary = summary if summary is not None else ScanSummary()
    options = options or ReadOptions()
    with _client(Client, scheduler, jobs) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        # One copy of the lexicon per worker, not one per task.
        [payload] = client.scatter([(matcher.lexicon, matcher.options)], broadcast=True, hash=False)
        runner = _runner(client, payload, options, keep is not None, 2 * workers)
        yield from run_scan(runner, paths, matcher, options, size or partition_bytes(paths, workers),
                            summary=summary, on_error=on_error, on_progress=on_progress, keep=keep)


@contextlib.contextmanager
def _client(client_type: Any, scheduler: str | None, jobs: int) -> Iterator[Any]:
    if scheduler:
        try:
            client = client_type(scheduler)
        except OSError as error:  # refused, unknown host, timed out
            raise UsageError(f"cannot connect to the Dask scheduler at {scheduler}: {error}") from None
        except (ValueError, TypeError) as error:  # no port, not a number, a bracket missing ...
            raise UsageError(f"--scheduler {scheduler!r} is not a scheduler address such as "
                             f"tcp://host:8786 ({error})") from None
        with client:
            yield client
        return
    import distributed

    local_cluster: Any = distributed.LocalCluster  # partly typed: keep mypy out of it
    cluster = local_cluster(n_workers=jobs, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
    with cluster, client_type(cluster) as client:
        yield client


def _runner(client: Any, payload: Any, options: ReadOptions, keep_fields: bool, window: int) -> Runner:
    def submit(part: Partition) -> Any:
        return client.submit(scan_task, part, payload, options, keep_fields, pure=False)

    def run(parts: Iterator[Partition]) -> Generator[tuple[Partition, PartResult | None], None, None]:
        return in_order(parts, submit, window)

    return run


def scan_task(part: Partition, payload: tuple[Lexicon, MatchOptions], options: ReadOptions,
              keep_fields: bool) -> PartResult:  # fmt: skip
    """Runs on a worker: scan one partition with this worker's matcher for the lexicon.

    The client's relative paths mean nothing here: the file is opened by its absolute path,
    which the results then name as the client gave it.
    """
    result = scan_partition(_absolute(part), _matcher(*payload), options, keep_fields=keep_fields)
    return _relabel(result, part.path)


def _matcher(lexicon: Lexicon, options: MatchOptions) -> Matcher:
    key = (lexicon.digest or id(lexicon), options)
    with _lock:  # threads of one worker share the matcher; only one of them builds it
        if key not in _matchers:
            _matchers.clear()  # a long-lived worker keeps one lexicon's matcher, not every one
            _matchers[key] = Matcher(lexicon, options)
        return _matchers[key]


def _absolute(part: Partition) -> Partition:
    path = os.path.abspath(part.path)
    if path == part.path:
        return part
    layout = None if part.layout is None else replace(part.layout, path=path)
    return replace(part, path=path, layout=layout)


def _relabel(result: PartResult, path: str) -> PartResult:
    """The result as if the worker had opened `path` as given, not its absolute form."""
    absolute = os.path.abspath(path)
    if absolute == path:
        return result
    for i, event in enumerate(result.events):
        if isinstance(event, RecordFindings):
            found = [replace(f, source=path) if f.source == absolute else f for f in event.findings]
            result.events[i] = event._replace(findings=found)
        elif isinstance(event, ErrorEvent) and event.location is not None and event.location.path == absolute:
            result.events[i] = event._replace(location=replace(event.location, path=path))
    return result
