"""`python -m wildcli`."""

from wildcli.cli import main

main()
