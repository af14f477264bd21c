"""The one error type the CLI turns into a one-line message and exit code 2."""


class ScanError(Exception):
    """A condition that makes the run impossible (bad path, bad rule file, bad option).

    The message is shown to the user as is: it must never contain fragment text.
    """


def quoted(value: object) -> str:
    """A value read from a user's file or option, fit for an error message: quoted in full
    when short, else only its first four characters (it may be a pasted secret)."""
    text = str(value)
    return repr(text if len(text) <= 16 else text[:4] + "…")
