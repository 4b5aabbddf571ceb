"""The command-line interface: a thin layer over the wildcli library, one module per command."""

import os

# Arrow's default allocator keeps what a batch freed for reuse; over a million-listing scan that
# held about 40 MB above the system allocator's peak, at the same speed. A command is one
# process, so it takes the system allocator (unless the variable is set); a program using the
# library keeps Arrow's default. Set before any module brings Arrow in.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from wildcli.cli.app import app, main

__all__ = ["app", "main"]
