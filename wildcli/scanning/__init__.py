"""Scanning dumps: reading records in batches, matching them in this process (local.py), on
forked workers (parallel.py), in the columnar batch stage (columnar.py) or on Dask
(dask_engine.py), with choice.py the one place that chooses; summaries, baselines and queries.

This module itself stays free of heavy imports: the CLI reads `Engine` at start-up.
"""

from __future__ import annotations

import enum


class Engine(str, enum.Enum):
    """The engines `wildcli scan --engine` offers."""

    LOCAL = "local"
    DASK = "dask"
