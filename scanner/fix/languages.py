"""One edit strategy per language family: how a key in a line becomes an environment lookup.

Code (Python, JavaScript/TypeScript, Go, Java, Kotlin, Rust, C#) replaces the string literal
that holds the key; when the literal holds more than the key ("Bearer <key>") the rest is
kept around the lookup (an f-string, a template literal, format!, or a concatenation).
Text families (shell, .http, CI files, docker-compose) replace the key itself with the
family's variable reference. A Dockerfile loses the ENV/ARG default. Each edit works on one
line and raises `Unfixable` for a shape it does not know.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

from scanner.fix.quoting import Literal, find_literal, shell_quoting


class Unfixable(Exception):
    """The key's shape is not one this strategy can rewrite; the message says why."""


Edit = Callable[[str, int, int, str], str]  # (line, start, end, variable) -> the new line


@dataclass(frozen=True, slots=True)
class Language:
    """A family of files and how a key in them is rewritten."""

    name: str
    globs: tuple[str, ...]  # matched against the file name, or the whole path when it has "/"
    edit: Edit
    add_import: Callable[[str, str], str] | None = None  # (text, newline) -> text with it
    # The variable the program itself reads, when the line names it (a Dockerfile ENV).
    variable_in: Callable[[str, int, int], str | None] | None = None
    note: str = ""  # told once per fixed file: what the user still has to do; {var} filled


@dataclass(frozen=True, slots=True)
class _Code:
    """How one programming language writes strings and reads the environment."""

    quotes: str
    comment: str
    lookup: str  # the expression, with {var}
    prefixes: str = ""
    triple: bool = False

    def edit(self, line: str, start: int, end: int, var: str,
             embed: Callable[[Literal, str, str, str], str]) -> str:
        literal = find_literal(line, start, end, quotes=self.quotes, comment=self.comment,
                               prefixes=self.prefixes, triple=self.triple)
        if literal is None:
            raise Unfixable("the key is not in a one-line string literal")
        before, after = line[literal.body_start:start], line[end:literal.body_end]
        lookup = self.lookup.format(var=var)
        value = lookup if not before and not after else embed(literal, before, after, lookup)
        return line[:literal.start] + value + line[literal.end:]


def _concatenation(literal: Literal, before: str, after: str, lookup: str) -> str:
    """("Bearer " + lookup): the literal's other text kept, in literals of the same kind."""
    parts = [literal.part(before)] if before else []
    parts.append(lookup)
    parts += [literal.part(after)] if after else []
    return "(" + " + ".join(parts) + ")"


# --- Python -------------------------------------------------------------------------------

_PYTHON = _Code(quotes="\"'", comment="#", lookup='os.environ["{var}"]', prefixes="rRbBuUfF",
                triple=True)


def _python_embed(literal: Literal, before: str, after: str, lookup: str) -> str:
    """An f-string around the lookup (its subscript quoted with the other quote character)."""
    if "b" in literal.prefix.lower():
        raise Unfixable("the key is in a bytes literal")
    if "f" not in literal.prefix.lower():
        before, after = (text.replace("{", "{{").replace("}", "}}") for text in (before, after))
    inner = "'" if '"' in literal.quote else '"'
    prefix = literal.prefix.replace("u", "").replace("U", "")
    prefix += "" if "f" in prefix.lower() else "f"
    lookup = lookup.replace('"', inner)
    return f"{prefix}{literal.quote}{before}{{{lookup}}}{after}{literal.quote}"


def _python_edit(line: str, start: int, end: int, var: str) -> str:
    return _PYTHON.edit(line, start, end, var, _python_embed)


# `import os` (alone or in a list) at the start of a line; `import os as x` does not count.
_IMPORTS_OS = re.compile(r"^import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*os"
                         r"[ \t]*(?:,|#|$)", re.MULTILINE)


def add_python_import(text: str, newline: str) -> str:
    """`text` with `import os` after its docstring and `from __future__` imports, unless it
    already imports os at the top level of a line."""
    if _IMPORTS_OS.search(text):
        return text
    lines = text.splitlines(keepends=True)
    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError):
        body = []
    index = 0  # the line (0-based) before which the import goes
    for node in body:
        is_docstring = (node is body[0] and isinstance(node, ast.Expr)
                        and isinstance(node.value, ast.Constant)
                        and isinstance(node.value.value, str))
        if not (is_docstring or (isinstance(node, ast.ImportFrom)
                                 and node.module == "__future__")):
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            index = first - 1
            break
        index = node.end_lineno or node.lineno
    else:
        if not body:  # nothing parsed: after a shebang and encoding comments
            while index < len(lines) and lines[index].startswith("#"):
                index += 1
    if index and not lines[index - 1].endswith(("\n", "\r")):
        lines[index - 1] += newline
    lines.insert(index, "import os" + newline)
    return "".join(lines)


# --- JavaScript / TypeScript --------------------------------------------------------------

_JAVASCRIPT = _Code(quotes="\"'`", comment="//", lookup="process.env.{var}")


def _template(literal: Literal, before: str, after: str, lookup: str) -> str:
    """A template literal around the lookup; a plain string's backticks and ${ escaped."""
    if literal.quote != "`":
        before, after = (text.replace("`", "\\`").replace("${", "\\${") for text in (before, after))
    return f"`{before}${{{lookup}}}{after}`"


def _javascript_edit(line: str, start: int, end: int, var: str) -> str:
    return _JAVASCRIPT.edit(line, start, end, var, _template)


# --- Go, Java, Kotlin, C#, Rust -----------------------------------------------------------

_GO = _Code(quotes="\"'`", comment="//", lookup='os.Getenv("{var}")')
_JAVA = _Code(quotes="\"'", comment="//", lookup='System.getenv("{var}")')
_KOTLIN = _Code(quotes="\"'", comment="//", lookup='System.getenv("{var}")', triple=True)
_CSHARP = _Code(quotes="\"'", comment="//", prefixes="@$",
                lookup='System.Environment.GetEnvironmentVariable("{var}")')
_RUST = _Code(quotes='"', comment="//", lookup='std::env::var("{var}").expect("{var} is not set")')

_GO_CONST = re.compile(r"^(\s*)const\b")  # `const name = "..."`: a lookup needs `var`
_KOTLIN_CONST = re.compile(r"\bconst[ \t]+val\b")  # `const val`: a lookup needs plain `val`
_CONSTANT = re.compile(r"\b(?:const|static)\b")  # C#/Rust constants need compile-time values


def _go_edit(line: str, start: int, end: int, var: str) -> str:
    return _GO_CONST.sub(r"\1var", _GO.edit(line, start, end, var, _concatenation), count=1)


def _java_edit(line: str, start: int, end: int, var: str) -> str:
    return _JAVA.edit(line, start, end, var, _concatenation)


def _kotlin_edit(line: str, start: int, end: int, var: str) -> str:
    return _KOTLIN_CONST.sub("val", _KOTLIN.edit(line, start, end, var, _concatenation), count=1)


def _csharp_edit(line: str, start: int, end: int, var: str) -> str:
    if re.search(r"\bconst\b", line[:start]):
        raise Unfixable("a C# const needs a compile-time value: make it a static readonly field")
    return _CSHARP.edit(line, start, end, var, _concatenation)


def _rust_format(literal: Literal, before: str, after: str, lookup: str) -> str:
    if literal.prefix:
        raise Unfixable("the key is in a raw or byte string")
    before, after = (text.replace("{", "{{").replace("}", "}}") for text in (before, after))
    return f'format!("{before}{{}}{after}", {lookup})'


def _rust_edit(line: str, start: int, end: int, var: str) -> str:
    if _CONSTANT.search(line[:start]):
        raise Unfixable("a Rust const or static needs a compile-time value: read the key "
                        "with std::env::var where it is used")
    return _RUST.edit(line, start, end, var, _rust_format)


# Go: an import block, or a single import, or none yet (then after the package clause).
_GO_IMPORT_BLOCK = re.compile(r"^import[ \t]*\([ \t]*\r?\n", re.MULTILINE)
_GO_IMPORTS_OS = re.compile(r'^(?:import)?[ \t]*(?:\w+[ \t]+)?"os"[ \t]*\)?[ \t]*(?://.*)?\r?$',
                            re.MULTILINE)
_GO_PACKAGE = re.compile(r"^package[ \t]+\w+[ \t]*(?://.*)?(?:\r?\n|\Z)", re.MULTILINE)


def add_go_import(text: str, newline: str) -> str:
    """`text` with "os" imported (gofmt may reorder the block; it compiles either way)."""
    if _GO_IMPORTS_OS.search(text):
        return text
    block = _GO_IMPORT_BLOCK.search(text)
    if block:
        return text[:block.end()] + '\t"os"' + newline + text[block.end():]
    package = _GO_PACKAGE.search(text)
    at = package.end() if package else 0
    prefix = "" if not package or package.group().endswith("\n") else newline
    return text[:at] + prefix + 'import "os"' + newline + text[at:]


# --- text families: the key itself becomes a variable reference ---------------------------

def _shell_edit(line: str, start: int, end: int, var: str) -> str:
    """${VAR} in double quotes; quoted when bare; single quotes closed and reopened."""
    reference = {"double": f"${{{var}}}", "none": f'"${{{var}}}"',
                 "single": f"'\"${{{var}}}\"'"}[shell_quoting(line, start)]
    return line[:start] + reference + line[end:]


def _substitute(template: str) -> Edit:
    def edit(line: str, start: int, end: int, var: str) -> str:
        return line[:start] + template.format(var=var) + line[end:]

    return edit


# `ENV NAME=value ...`, `ENV NAME value`, `ARG NAME=value` (instruction words in any case).
_DOCKER_INSTRUCTION = re.compile(r"^(?P<indent>\s*)(?P<word>ENV|ARG)\s+(?P<rest>.*)$",
                                 re.IGNORECASE)
_DOCKER_PAIR = re.compile(r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>"[^"]*"|'[^']*'|\S*)""")


def _docker_assignment(line: str, start: int, end: int,
                       ) -> tuple[re.Match[str], re.Match[str] | None, list[re.Match[str]]]:
    """(the ENV/ARG instruction, the NAME=value pair holding the key or None for the
    legacy `ENV NAME value` form, every pair of the line); Unfixable for other lines."""
    match = _DOCKER_INSTRUCTION.match(line)
    if not match:
        raise Unfixable("the key is not an ENV or ARG default: use a build secret "
                        "(RUN --mount=type=secret) for build-time use")
    offset = match.start("rest")
    pairs = list(_DOCKER_PAIR.finditer(match["rest"]))
    pair = next((p for p in pairs if offset + p.start("value") <= start
                 and end <= offset + p.end("value")), None)
    return match, pair, pairs


def _dockerfile_variable(line: str, start: int, end: int) -> str | None:
    """The name the ENV or ARG gives the key: what the container reads."""
    try:
        match, pair, _ = _docker_assignment(line, start, end)
    except Unfixable:
        return None
    return pair["name"] if pair else match["rest"].split()[0]


def _dockerfile_edit(line: str, start: int, end: int, var: str) -> str:
    """ARG keeps its name without the default; ENV loses the assignment (a comment says
    where the value comes from now). A key elsewhere (a RUN line) is not rewritten."""
    match, pair, pairs = _docker_assignment(line, start, end)
    indent, word, rest = match["indent"], match["word"], match["rest"]
    comment = f"{indent}# {var}: passed at run time (docker run -e {var})"
    if pair is None:  # the legacy form `ENV NAME value`: the whole line is that one variable
        return comment if word.upper() == "ENV" else f"{indent}{word} {rest.split()[0]}"
    if word.upper() == "ARG":
        offset = match.start("rest")
        return line[:offset + pair.start()] + pair["name"] + line[offset + pair.end():]
    others = [p.group() for p in pairs if p is not pair]
    return f"{indent}{word} {' '.join(others)}" if others else comment


_JS_SUFFIXES = ("*.js", "*.mjs", "*.cjs", "*.jsx", "*.ts", "*.mts", "*.cts", "*.tsx")
_SHELL_FILES = ("*.sh", "*.bash", "*.zsh", ".envrc", ".bashrc", ".zshrc", ".profile",
                ".bash_profile", ".zprofile")

LANGUAGES = (
    Language("Python", ("*.py", "*.pyw"), _python_edit, add_python_import),
    Language("JavaScript/TypeScript", _JS_SUFFIXES, _javascript_edit),
    Language("Go", ("*.go",), _go_edit, add_go_import),
    Language("Java", ("*.java",), _java_edit),
    Language("Kotlin", ("*.kt", "*.kts"), _kotlin_edit),
    Language("Rust", ("*.rs",), _rust_edit),
    Language("C#", ("*.cs",), _csharp_edit),
    Language("shell", _SHELL_FILES, _shell_edit),
    Language("HTTP request file", ("*.http", "*.rest"), _substitute("{{{{$processEnv {var}}}}}"),
             note="the REST Client extension reads {var} from the environment"),
    Language("GitHub Actions", (".github/workflows/*.yml", ".github/workflows/*.yaml",
                                ".github/actions/*"), _substitute("${{{{ secrets.{var} }}}}"),
             note="add {var} as a repository secret (Settings > Secrets and variables > Actions)"),
    Language("GitLab CI", (".gitlab-ci.yml",), _substitute("${{{var}}}"),
             note="add {var} as a masked CI/CD variable (Settings > CI/CD > Variables)"),
    Language("docker-compose", ("docker-compose*.yml", "docker-compose*.yaml", "compose.yml",
                                "compose.yaml", "compose.*.yml", "compose.*.yaml"),
             _substitute("${{{var}}}"),
             note="compose reads {var} from the shell or from the .env file next to it"),
    Language("Dockerfile", ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile",
                            "Containerfile"), _dockerfile_edit, variable_in=_dockerfile_variable,
             note="pass the key when the container starts: docker run -e {var} IMAGE "
                  "(never bake it into the image)"),
)


def language_for(path: str) -> Language | None:
    """The language family of `path` (POSIX, relative to the scan root), if fix knows it."""
    name = path.rsplit("/", 1)[-1]
    for language in LANGUAGES:
        for glob in language.globs:
            if ("/" in glob and (fnmatch.fnmatchcase(path, glob)
                                 or fnmatch.fnmatchcase(path, "*/" + glob))) \
                    or fnmatch.fnmatchcase(name, glob):
                return language
    return None
