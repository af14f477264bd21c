"""`python -m scanner` runs the command line."""

from scanner.cli import run

if __name__ == "__main__":  # guarded: spawned worker processes import this module
    run()
