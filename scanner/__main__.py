"""`python -m scanner` runs the command line."""

from scanner.cli import run

if __name__ == "__main__":  # not when a spawned worker process re-imports this module
    run()
