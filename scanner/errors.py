"""The one error type the CLI turns into a one-line message and exit code 2."""


class ScanError(Exception):
    """A condition that makes the run impossible (bad path, bad rule file, bad option).

    The message is shown to the user as is: it must never contain fragment text.
    """
