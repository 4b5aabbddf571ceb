"""The one place that chooses where a scan runs: in this process, on forked workers, or on Dask.

Each engine scans what it is given; none falls back on another. This module (the library's
`wildcli.scan_paths`) is the only one that imports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import groupby

from wildcli.errors import InputError
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions
from wildcli.reports.summary import ScanSummary
from wildcli.scanning import Engine
from wildcli.scanning.columnar import accepts, scan_block, scan_paths_columnar, worker_partition_bytes
from wildcli.scanning.local import RecordFilter, scan_in_process
from wildcli.scanning.parallel import scan_paths_parallel, workers_for
from wildcli.scanning.streaming import LINGER, is_stream


def scan_paths(
    paths: Sequence[str],
    matcher: Matcher,
    options: ReadOptions | None = None,
    *,
    summary: ScanSummary | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    keep: RecordFilter | None = None,
    jobs: int = 1,
    linger: float | None = LINGER,
    engine: Engine = Engine.LOCAL,
    scheduler: str | None = None,
) -> Iterator[Finding]:
    """Scan each dump in turn. Bad rows and unusable files go to `on_error`; scanning goes on.

    Without `on_error`, the first problem is raised. `keep` filters each record's findings
    before they are counted and yielded (see `wildcli.scanning.local.scan_records`).
    `jobs` > 1 scans large files and many files on that many processes (wildcli.scanning.parallel) with
    the same result, except that `keep` then only sees records that have findings; inputs too
    small to split are scanned in this process, plain JSON Lines files block by block
    (wildcli.scanning.columnar; there too `keep` only sees records that have findings).
    `engine` DASK scans on the Dask cluster at `scheduler` (default: a local cluster of `jobs`
    processes; wildcli.scanning.dask_engine).
    A stream (stdin from a pipe, a FIFO) is scanned as it arrives, by this process: when it
    pauses for `linger` seconds, the records it delivered are matched and their findings yielded
    (None: wait for full batches).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    summary = summary if summary is not None else ScanSummary()
    options = options or ReadOptions()
    if engine is Engine.DASK:
        from wildcli.scanning.dask_engine import scan_paths_dask  # Dask is an extra

        yield from scan_paths_dask(paths, matcher, options, scheduler=scheduler, jobs=jobs, summary=summary,
                                   on_error=on_error, on_progress=on_progress, keep=keep)  # fmt: skip
        return

    # Files go to the workers; streams, in their place in the order, are read here as they come.
    def live(path: str) -> bool:
        return jobs > 1 and linger is not None and is_stream(path)

    for streams, group in groupby(paths, live):
        chosen = list(group)
        size = 0 if streams else worker_partition_bytes(chosen, jobs)
        if size and workers_for(chosen, jobs, size) > 1:
            # Each worker reads plain JSON Lines and CSV ranges as blocks (wildcli.scanning.columnar).
            yield from scan_paths_parallel(chosen, matcher, options, jobs=jobs, summary=summary,
                                           on_error=on_error, on_progress=on_progress, keep=keep,
                                           size=size, scanner=scan_block)  # fmt: skip
            continue
        # In this process: plain JSON Lines files block by block (wildcli.scanning.columnar), the
        # rest (streams, gzip, other formats, nested fields) by the streaming readers.
        for columnar, files in groupby(chosen, lambda path: accepts(path, options)):
            if columnar:
                yield from scan_paths_columnar(list(files), matcher, options, summary=summary,
                                               on_error=on_error, on_progress=on_progress,
                                               keep=keep)  # fmt: skip
            else:
                yield from scan_in_process(list(files), matcher, options, summary=summary, on_error=on_error,
                                           on_progress=on_progress, keep=keep, linger=linger)  # fmt: skip
