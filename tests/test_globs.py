"""Rule scopes and ignore files as one regex per pattern list (scanner.sources.patterns): the
same answers as pathspec's GitIgnoreSpec tried pattern by pattern, which these tests use as the
oracle."""

from __future__ import annotations

import pickle

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.rules.loader import default_rules
from scanner.sources.patterns import PathPatterns, PatternError

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


def _accepted(line: str) -> bool:
    try:
        oracle([line])
    except Exception:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BUNDLED_SCOPES), st.lists(PATHS, min_size=1, max_size=10))
def test_bundled_scopes_answer_as_pathspec(scope, paths):
    spec, globs = oracle(scope), PathPatterns(scope)
    for path in paths:
        assert globs.matches(path) == spec.match_file(path), (scope, path)


@settings(max_examples=500, deadline=None)
@given(PATTERNS, st.lists(PATHS, min_size=1, max_size=10))
def test_random_patterns_answer_as_pathspec(patterns, paths):
    try:
        globs = PathPatterns(patterns)
    except PatternError:
        with pytest.raises(Exception):  # what pathspec rejects
            oracle(patterns)
        return
    assert globs._match is not None, patterns  # one regex, not pathspec's loop
    spec = oracle(patterns)
    for path in paths:
        assert globs.matches(path) == spec.match_file(path), (patterns, path)


@settings(max_examples=400, deadline=None)
@given(PATTERNS, st.lists(st.tuples(PATHS, st.booleans()), min_size=1, max_size=10))
def test_ignore_file_decisions_answer_as_pathspec(patterns, entries):
    """As the tree walk asks about a .gitignore: the verdict, or None when no line decides;
    a directory is asked about with a trailing slash."""
    globs = PathPatterns(patterns, skip_malformed=True)  # as the walk reads an ignore file
    spec = oracle([line for line in patterns if _accepted(line)])
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
    globs, spec = PathPatterns(patterns), oracle(patterns)
    for path in admitted + refused:
        assert globs.matches(path) == (path in admitted) == spec.match_file(path), path


@pytest.mark.parametrize("pattern", ["src\\", "!"])
def test_malformed_patterns_fail_with_one_line(pattern):
    with pytest.raises(PatternError) as failure:
        PathPatterns(["*.js", pattern])
    assert str(failure.value) and "\n" not in str(failure.value)


def test_an_ignore_file_skips_its_malformed_lines():
    patterns = PathPatterns(["*.log", "src\\", "!keep.log"], skip_malformed=True)
    assert patterns.decision("a.log") is True
    assert patterns.decision("keep.log") is False
    assert patterns.decision("a.py") is None


def test_bundled_scopes_are_one_regex():
    for scope in BUNDLED_SCOPES:
        assert PathPatterns(scope)._match is not None, scope


def test_no_patterns_admit_nothing():
    assert not PathPatterns([]).matches("a.js")
    assert not PathPatterns(["# only a comment", ""]).matches("a.js")


def test_compiled_scopes_survive_pickling():  # worker processes receive the rules pickled
    rules = default_rules()
    paths = ["src/app.js", "README.md", "Dockerfile", ".github/workflows/ci.yml"]
    answers = [[rule.applies_to(path) for path in paths] for rule in rules]
    copies = pickle.loads(pickle.dumps(rules))
    assert [[rule.applies_to(path) for path in paths] for rule in copies] == answers
