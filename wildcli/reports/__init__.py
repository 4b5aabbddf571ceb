"""Machine-readable finding reports: one module per output format."""

from wildcli.reports.base import ReportFormat, write_findings

__all__ = ["ReportFormat", "write_findings"]
