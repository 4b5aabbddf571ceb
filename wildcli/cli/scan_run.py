"""One scan as the CLI runs it: wires readers, matcher, writers, progress and error lines."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from wildcli.cli.console import ExitCode, fail, stderr
from wildcli.errors import InputError, OutputError, UsageError
from wildcli.findings import Finding
from wildcli.matcher import Matcher
from wildcli.readers.base import ReadOptions
from wildcli.reports import ReportFormat, write_findings
from wildcli.scan import ScanSummary, scan_paths


class _TooManyErrors(Exception):
    pass


@dataclass
class ScanRun:
    matcher: Matcher
    read: ReadOptions
    max_errors: int
    max_error_lines: int
    warn: Callable[[str], None]
    summary: ScanSummary = field(default_factory=ScanSummary)
    stopped_early: bool = False

    def on_error(self, error: InputError) -> None:
        shown = self.summary.bad_rows + self.summary.missing_inputs
        if shown <= self.max_error_lines:
            self.warn(f"error: {error}")
        if self.max_errors and self.summary.bad_rows >= self.max_errors:
            raise _TooManyErrors

    def findings(self, paths: list[str], on_progress: Callable[[int], None] | None) -> Iterator[Finding]:
        try:
            yield from scan_paths(
                paths, self.matcher, self.read, summary=self.summary,
                on_error=self.on_error, on_progress=on_progress,
            )
        except _TooManyErrors:
            self.stopped_early = True

    def execute(self, paths: list[str], fmt: ReportFormat, output: str | None, *, top: int, progress: bool) -> None:
        from wildcli.atomic import atomic_writer

        with self._progress(paths, progress) as advance:
            try:
                with atomic_writer(output, newline="\n" if fmt is ReportFormat.TABLE else "") as out:
                    stream = self.findings(paths, advance)
                    if fmt is ReportFormat.TABLE:
                        from wildcli.cli.table import render_table

                        render_table(list(stream), self.summary, out, top=top, color=output is None and sys.stdout.isatty())
                    else:
                        write_findings(stream, fmt, out)
            except OutputError as error:
                fail(error, ExitCode.CANT_CREATE)
            except UsageError as error:
                fail(error, ExitCode.USAGE)
        self._report_errors()

    def _report_errors(self) -> None:
        s = self.summary
        hidden = s.bad_rows + s.missing_inputs - self.max_error_lines
        if hidden > 0:
            self.warn(f"error: {hidden} more input errors not shown")
        if self.stopped_early:
            self.warn(f"error: stopped after {s.bad_rows} unreadable rows (--max-errors/--strict)")
        elif s.bad_rows:
            self.warn(f"error: {s.bad_rows} unreadable rows were skipped; the other {s.records} records were scanned")

    @contextlib.contextmanager
    def _progress(self, paths: list[str], enabled: bool) -> Iterator[Callable[[int], None] | None]:
        if not enabled:
            yield None
            return
        from rich.progress import (
            BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn,
        )

        total = 0
        for path in paths:
            with contextlib.suppress(OSError):
                total += os.path.getsize(path) if path != "-" else 0
        columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=stderr(), transient=True) as bar:
            task = bar.add_task("scan", total=total or None)
            yield lambda n: bar.advance(task, n)

    def exit_code(self, fail_on_findings: bool) -> ExitCode:
        s = self.summary
        if s.missing_inputs:
            return ExitCode.NO_INPUT
        if s.bad_rows:
            return ExitCode.DATA_ERROR
        if fail_on_findings and s.findings:
            return ExitCode.FINDINGS
        return ExitCode.OK
