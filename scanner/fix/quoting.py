"""Where a key sits in a line of code or shell: the enclosing string literal, or the shell
quoting in force at its position. Single-line lexing only: a literal that continues on the
next line is not found, and the finding is reported as not fixable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Literal:
    """A string literal on one line; offsets are indexes into that line."""

    start: int  # first character of the prefix letters (f, r, @, ...) or of the quote
    prefix: str  # the letters before the opening quote
    quote: str  # the opening (and closing) quote: ", ', `, or a tripled quote
    body_start: int
    body_end: int  # index of the closing quote

    @property
    def end(self) -> int:
        """Index just past the closing quote."""
        return self.body_end + len(self.quote)

    def part(self, text: str) -> str:
        """`text` written as a literal of the same kind (same prefix and quote)."""
        return f"{self.prefix}{self.quote}{text}{self.quote}"


def find_literal(line: str, start: int, end: int, *, quotes: str, comment: str,
                 prefixes: str = "", triple: bool = False) -> Literal | None:
    """The string literal of `line` that contains `line[start:end]`, or None (outside any
    literal, inside a comment, or in a literal not closed on this line)."""
    i = 0
    while i < len(line):
        if comment and line.startswith(comment, i):
            return None
        char = line[i]
        if char not in quotes:
            i += 1
            continue
        quote = char * 3 if triple and line.startswith(char * 3, i) else char
        close = i + len(quote)
        while close < len(line) and not line.startswith(quote, close):
            close += 2 if line[close] == "\\" and quote != "`" else 1
        if close >= len(line):
            return None
        if i + len(quote) <= start and end <= close:
            first = i
            while first > 0 and line[first - 1] in prefixes:
                first -= 1
            return Literal(first, line[first:i], quote, i + len(quote), close)
        i = close + len(quote)
    return None


def shell_quoting(line: str, position: int) -> str:
    """The shell quoting in force at `line[position]`: "none", "single" or "double"."""
    state = "none"
    i = 0
    while i < position:
        char = line[i]
        if state == "single":
            state = "none" if char == "'" else state
        elif char == "\\":
            i += 1  # the next character is escaped, in double quotes or none
        elif char == '"':
            state = "none" if state == "double" else "double"
        elif char == "'" and state == "none":
            state = "single"
        i += 1
    return state
