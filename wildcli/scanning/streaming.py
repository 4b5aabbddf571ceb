"""Scanning a stream as it arrives: a pipe or FIFO is read on a thread of its own, so that when
it pauses the scan can match the records it holds instead of waiting for a full batch.

A scan matches records in batches (wildcli.scanning.local), which is what makes it fast on files. On a
stream that delivers a listing now and then (`tail -f dump.jsonl | wildcli scan -`), a batch
would fill only after hours; here the scan is told when the next record is late.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator

from wildcli.errors import InputError
from wildcli.readers import Record
from wildcli.readers.opening import is_stream

LINGER = 0.25
"""Seconds a scan of a stream waits for the next record before matching the records it holds
(the default of `wildcli.scan_paths`)."""

AHEAD = 4096
"""Records the reading thread may read ahead of the scan: memory stays bounded when the input
arrives faster than it is matched (`cat dump.jsonl | wildcli scan -`)."""

ErrorSink = Callable[[InputError], None]

_RECORD, _ERROR, _END, _RAISED = range(4)

__all__ = ["AHEAD", "LINGER", "is_stream", "read_ahead"]


def read_ahead(
    read: Callable[[ErrorSink], Iterator[Record]], on_error: ErrorSink, linger: float = LINGER
) -> Iterator[Record | None]:
    """The records `read(report)` yields, read on a thread; None whenever the next one is more
    than `linger` seconds late (once per pause).

    The problems the reader reports come to `on_error` here, in the scan's thread and in file
    order among the records; what the reader raises is raised here. Closing this iterator stops
    the thread at its next record (a thread blocked on a silent stream ends with the process).
    """
    items: queue.SimpleQueue[tuple[int, object]] = queue.SimpleQueue()
    taken = [0]  # records the scan has taken: the thread waits when it is AHEAD in front
    stop = threading.Event()

    def run() -> None:
        sent = 0
        try:
            for record in read(lambda error: items.put((_ERROR, error))):
                items.put((_RECORD, record))
                sent += 1
                while sent - taken[0] >= AHEAD and not stop.is_set():
                    time.sleep(0.002)
                if stop.is_set():
                    return
            items.put((_END, None))
        except BaseException as error:  # handed to the scan's thread, raised there
            items.put((_RAISED, error))

    threading.Thread(target=run, name="wildcli-stream-reader", daemon=True).start()
    try:
        while True:
            try:
                kind, item = items.get(timeout=linger)
            except queue.Empty:
                yield None
                kind, item = items.get()
            if kind == _RECORD:
                taken[0] += 1
                yield item  # type: ignore[misc]
            elif kind == _ERROR:
                on_error(item)  # type: ignore[arg-type]
            elif kind == _END:
                return
            else:
                assert isinstance(item, BaseException)
                raise item
    finally:
        stop.set()
