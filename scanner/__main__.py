"""`python -m scanner` runs the command line."""

from scanner.cli import run

run()
