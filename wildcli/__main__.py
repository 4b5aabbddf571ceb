"""`python -m wildcli`."""

from wildcli.cli import main

# Guarded: worker processes started with "spawn" (the service's workers, its lexicon checks)
# import the main module again, and must not run the command line a second time.
if __name__ == "__main__":
    main()
