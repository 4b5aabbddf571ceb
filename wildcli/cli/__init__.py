"""The command-line interface: a thin layer over the wildcli library, one module per command."""

from wildcli.cli.app import app, main

__all__ = ["app", "main"]
