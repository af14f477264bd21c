"""Rule scopes without pathspec: the same answers as pathspec's GitIgnoreSpec, which these
tests use as the oracle."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.globs import GlobError, PathGlobs
from scanner.rules.loader import default_rules

NAMES = ["src", "a.js", ".github", "workflows", "ci.yml", "dist", "x.min.js", ".vibe",
         "Dockerfile", "strings.xml", "res", "values-fr", "app", "README.md", ".env",
         "compose.yml", "+server.ts", "my file.txt", "a.b.c", "[x]", "é.yml", "!x", "#x",
         "back\\slash", "new\nline", "x", "a"]
ODD_NAME = st.text(alphabet="ab.*?[]!# \\\né-", min_size=1, max_size=6)
PATHS = st.tuples(st.sampled_from(["", "", "", "/", "./"]),  # as pathspec, / or ./ is dropped
                  st.lists(st.one_of(st.sampled_from(NAMES), ODD_NAME), min_size=1, max_size=6)
                  .map("/".join)).map("".join)
# Pieces of patterns: literals, wildcards, sets, escapes, anchors, comments, blanks.
ATOMS = ["a", "x", "src", ".js", "yml", "é", " ", ".", "/", "*", "**", "?", "[ab]", "[!x]",
         "[^.]", "[a-z]", "[]a]", "[!]]", "\\*", "\\[", "\\ ", "\\!", "\\#", "!", "#", "[", "]",
         "\\"]
COMMON = ["*", "**", "*/", "*.js", "*.md", "a", "x", "src/", "dist/", "/src/*", "src/**",
          "**/.vibe/**", "**/*.yml", "a/**/b", ".*", "[!.]*"]
PATTERN = st.tuples(st.sampled_from(["", "", "!"]),  # negations often, to test who wins
                    st.one_of(st.sampled_from(COMMON),
                              st.lists(st.sampled_from(ATOMS), max_size=8).map("".join))
                    ).map("".join)
PATTERNS = st.lists(PATTERN, min_size=1, max_size=5)
BUNDLED_SCOPES = sorted({rule.scope for rule in default_rules() if rule.scope})


def oracle(patterns: list[str] | tuple[str, ...]):
    return pathspec.GitIgnoreSpec.from_lines(patterns, backend="simple")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BUNDLED_SCOPES), st.lists(PATHS, min_size=1, max_size=10))
def test_bundled_scopes_answer_as_pathspec(scope, paths):
    spec, globs = oracle(scope), PathGlobs(scope)
    for path in paths:
        assert globs.matches(path) == spec.match_file(path), (scope, path)


@settings(max_examples=500, deadline=None)
@given(PATTERNS, st.lists(PATHS, min_size=1, max_size=10))
def test_random_patterns_answer_as_pathspec(patterns, paths):
    try:
        globs = PathGlobs(patterns)
    except GlobError as exc:
        if "not supported" in str(exc):  # reserved syntax inside [...]: refused, not guessed
            assert "[" in "".join(patterns)
            return
        with pytest.raises(Exception):  # pathspec rejects it too
            oracle(patterns)
        return
    spec = oracle(patterns)
    for path in paths:
        assert globs.matches(path) == spec.match_file(path), (patterns, path)


@settings(max_examples=400, deadline=None)
@given(PATTERNS, st.lists(st.tuples(PATHS, st.booleans()), min_size=1, max_size=10))
def test_ignore_file_decisions_answer_as_pathspec(patterns, entries):
    """As the tree walk asks about a .gitignore: the verdict, or None when no line decides;
    a directory is asked about with a trailing slash."""
    try:
        globs = PathGlobs(patterns)
    except GlobError:
        return  # the walk reads such a file with pathspec itself
    spec = oracle(patterns)
    for path, is_dir in entries:
        asked = path + "/" if is_dir else path
        assert globs.decision(asked) == spec.check_file(asked).include, (patterns, asked)


@pytest.mark.parametrize("patterns, admitted, refused", [
    (["*.js"], ["a.js", "src/a.js", "a.js/b.txt"], ["a.jsx", "a.js.map", "src/a.ts"]),
    (["a?c"], ["abc", "x/a.c"], ["ac", "a/c", "abbc"]),
    (["[ab].txt"], ["a.txt", "d/b.txt"], ["c.txt", "ab.txt"]),
    (["[!a].txt", "[^b].md"], ["c.txt", "a.md"], ["a.txt", "b.md"]),
    (["[a-c]x"], ["bx"], ["dx"]),
    (["*"], ["a", "src/a.js", ".github/workflows/ci.yml"], []),
    (["**"], ["a", "src/a.js"], []),
    (["*/"], ["src/a.js"], ["a.js"]),
    (["Dockerfile"], ["Dockerfile", "svc/Dockerfile", "Dockerfile/x"],
     ["Dockerfile.dev", "xDockerfile"]),
    (["/Dockerfile"], ["Dockerfile"], ["svc/Dockerfile"]),
    (["src/*.js"], ["src/a.js"], ["lib/src/a.js", "src/x/a.js"]),
    (["**/.vibe/**"], [".vibe/config.toml", "a/b/.vibe/x/y"], [".vibe", "vibe/x"]),
    (["**/.github/workflows/*.yml"], [".github/workflows/ci.yml", "x/.github/workflows/ci.yml"],
     [".github/workflows/ci.yaml", ".github/ci.yml"]),
    (["a/**/b"], ["a/b", "a/x/b", "a/x/y/b", "a/b/c"], ["a", "x/a/b", "ab"]),
    (["dist/"], ["dist/a.js", "x/dist/y/a.js"], ["dist", "distx/a.js"]),
    (["*", "!*.md"], ["a.py", "docs/a.txt"], ["README.md", "docs/a.md"]),
    (["*", "!*.md", "*.md"], ["README.md"], []),
    (["docs/", "!docs/keep.txt"], ["docs/a.txt"], ["docs/keep.txt"]),
    (["!docs/", "docs/*.txt"], ["docs/a.txt"], ["docs/a.md"]),
    (["\\*.txt", "\\!x", "\\#y", "a\\ "], ["*.txt", "!x", "#y", "a "], ["a.txt", "a"]),
    (["a  ", "", "# a comment", "/"], ["a"], ["a  ", "# a comment", "b"]),
    (["a[b", "c"], ["c"], ["a[b", "ab"]),  # an unclosed [ drops the pattern, as git does
    (["x.md"], ["/x.md", "./x.md", "../x.md"], ["y/x.mdx"]),  # a leading / or ./ is dropped
])
def test_syntax_examples(patterns, admitted, refused):
    globs, spec = PathGlobs(patterns), oracle(patterns)
    for path in admitted + refused:
        assert globs.matches(path) == (path in admitted) == spec.match_file(path), path


@pytest.mark.parametrize("pattern, message", [
    ("src\\", "backslash escapes nothing"),
    ("a\\/b", "backslash escapes nothing"),
    ("!", "nothing to match"),
    ("[z-a].txt", "bad character set"),
    ("[[:alpha:]]", "not supported"),
    ("[a--z]", "not supported"),
    ("[a&&b]", "not supported"),
])
def test_malformed_or_uncertain_patterns_fail(pattern, message):
    with pytest.raises(GlobError, match=message):
        PathGlobs(["*.js", pattern])


def test_no_patterns_admit_nothing():
    assert not PathGlobs([]).matches("a.js")
    assert not PathGlobs(["# only a comment", ""]).matches("a.js")


def test_compiled_scopes_survive_pickling():  # worker processes receive the rules pickled
    rules = default_rules()
    paths = ["src/app.js", "README.md", "Dockerfile", ".github/workflows/ci.yml"]
    answers = [[rule.applies_to(path) for path in paths] for rule in rules]
    copies = pickle.loads(pickle.dumps(rules))
    assert [[rule.applies_to(path) for path in paths] for rule in copies] == answers


def test_scopes_do_not_import_pathspec():
    probe = (
        "import sys\n"
        "from scanner.rules.loader import default_rules\n"
        "rules = default_rules()\n"
        "paths = ['src/app.js', 'README.md', 'x/Dockerfile', '.github/workflows/ci.yml']\n"
        "admitted = sum(rule.applies_to(path) for rule in rules for path in paths)\n"
        "print(sum(bool(rule.scope) for rule in rules), admitted, 'pathspec' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    scoped, admitted, imported = out.stdout.split()
    assert int(scoped) > 20 and int(admitted) > 0 and imported == "False"
