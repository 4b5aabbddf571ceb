"""Where a scan runs: `local` (this machine's cores, wildcli.parallel) or `dask` (a Dask cluster).

Kept free of heavy imports: the CLI reads `Engine` at start-up.
"""

from __future__ import annotations

import enum


class Engine(str, enum.Enum):
    """The engines `wildcli scan --engine` offers."""

    LOCAL = "local"
    DASK = "dask"
