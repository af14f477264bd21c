"""The detector: rules first, then candidates and their evidence.

1. The prefilter names the rules whose keywords and literals a fragment holds; each runs on the
   windows around key-shaped tokens (or its anchors) and its `secret` group, shape and context
   checks make a finding. These are the named patterns: their evidence is the rule itself.
2. Every key-shaped token no rule claimed is a candidate (scanner.engine.candidates): the
   evidence around it (scanner.engine.evidence) and the decision (scanner.engine.decide) make a
   finding of it, or nothing, in files that mention Mistral or belong to a Mistral project.
3. A key finding in a file that says it is fake drops to low confidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from scanner.engine.candidates import KEY_TOKEN, candidates, has_key_run, key_tokens
from scanner.engine.prefilter import KeywordPrefilter
from scanner.engine.project import Projects
from scanner.engine.shape import is_embedded, is_templated, looks_like_mistral_key
from scanner.models import Finding, Fragment, fingerprint, redact, severity_rank, sha256_hex
from scanner.rules.loader import Rule

if TYPE_CHECKING:
    from scanner.engine.decide import Decision

# Key-shaped rules run only near a token that has the shape of a key: the window reaches
# LINES_BEFORE lines (at most CHARS_BEFORE characters) above it and to the end of the next line.
# Rules with anchors run only within ANCHOR_LINES lines of an anchor.
LINES_BEFORE = 40
ANCHOR_LINES = 3
CHARS_BEFORE = 4000
CHARS_AFTER = 2000
MAX_WINDOW = 64 * 1024  # merged windows are cut at this size: a rule never sees a longer span
# A Mistral client or endpoint on another cloud near a key a rule found (see decide.OTHER_CLOUD).
_OTHER_CLOUD_NEAR = re.compile(r"MistralAzure|MistralGCP|mistralai[_-](?:azure|gcp)"
                               r"|[\w-]{1,63}\.(?:inference|services|models)\.ai\.azure\.com"
                               r"|aiplatform\.googleapis\.com", re.I)
MAX_CANDIDATES = 200  # evidence is gathered for at most this many unclaimed tokens per fragment
_NEWLINE = re.compile("\n")


class Detector:
    """Rules compiled once, a prefilter built once, applied to any number of fragments."""

    def __init__(self, rules: Sequence[Rule], engine: str = "auto",
                 projects: Projects | dict[str, str] | None = None,
                 keep_secrets: bool = False) -> None:
        """`projects`: folders whose manifests name a Mistral SDK (project.Projects, or a
        plain dictionary of folder -> manifest, as project.mistral_projects gives).
        `keep_secrets` (only for --verify): remember sha256 -> secret of each finding made, in
        memory, never written (see `take_secrets`)."""
        # Strongest rule first, so that when two rules claim one secret the stronger one wins.
        ordered = sorted(rules, key=lambda r: (-severity_rank(r.severity), r.id))
        self.rules = tuple(ordered)
        self._by_id = {rule.id: rule for rule in ordered}
        self._prefilter = KeywordPrefilter(self.rules, engine)
        self.projects = projects if isinstance(projects, Projects) \
            else Projects(None, projects or {})
        self._secrets: dict[str, str] | None = {} if keep_secrets else None

    def take_secrets(self) -> dict[str, str]:
        """The secrets recorded since the last call (sha256 -> secret; none unless
        `keep_secrets`), and forget them."""
        taken = self._secrets or {}
        if self._secrets is not None:
            self._secrets = {}
        return taken

    def may_match(self, data: bytes, path: str | None = None) -> bool:
        """False only when raw UTF-8 `data` (at `path`, when given) certainly gives no
        finding: skip decoding it."""
        if self._prefilter.may_match(data, path):
            return True
        # A file in a Mistral project may hold a key under any credential name. The folders
        # above it that the pre-read did not reach are read here, once each: cheaper than
        # searching every file of a large tree for a key-shaped run.
        return path is not None and self.projects.lookup(path) is not None \
            and has_key_run(data)

    def detect(self, fragment: Fragment) -> list[Finding]:
        """All findings in one fragment, ordered by position then rule id."""
        text = fragment.text
        claimed: set[tuple[int, int]] = set()
        findings: list[Finding] = []
        key_windows: list[tuple[int, int]] | None = None
        lowered: str | None = None
        newlines: list[int] | None = None  # positions of "\n", built at the first finding
        for rule in self._prefilter.candidates(text, fragment.path):
            if rule.shape == "mistral-key":
                if key_windows is None:
                    key_windows = _key_windows(text)
                windows = key_windows
            elif rule.anchors:
                if lowered is None:
                    lowered = text.lower()
                windows = _anchor_windows(rule.anchors, text, lowered)
            else:
                windows = [(0, len(text))]
            verdicts: dict[tuple[int, int], bool] = {}  # context verdicts, one search per window
            for match in _matches(rule, text, windows):
                start, end = match.span("secret")
                secret = match.group("secret")
                if not secret or (start, end) in claimed:
                    continue
                if rule.shape == "mistral-key" and not _is_key_token(text, start, end, secret):
                    continue
                # Key rules reject template slots ({KEY}, $KEY) and base64 slices; risk rules
                # (shape "any") capture a name or URL, where {api_key} or a following / is fine.
                if rule.shape == "mistral-key" and (
                    is_templated(text, start, end) or is_embedded(text, start, end)
                ):
                    continue
                if not _context_holds(rule, text, start, verdicts):
                    continue
                claimed.add((start, end))
                if newlines is None:
                    newlines = [m.start() for m in _NEWLINE.finditer(text)]
                decision = _rule_decision(rule, fragment, start)
                shown_rule = self._by_id.get(decision.rule_id, rule)
                findings.append(self._found(shown_rule, fragment, start, end, secret,
                                            newlines, decision))
        findings.extend(self._decided(fragment, claimed, newlines))
        findings.sort(key=lambda f: (f.line, f.column, f.rule_id))
        return findings

    def _decided(self, fragment: Fragment, claimed: set[tuple[int, int]],
                 newlines: list[int] | None) -> list[Finding]:
        """Findings for the key-shaped tokens no rule claimed, from the evidence around them."""
        text = fragment.text
        lowered = text.lower()
        mentions = any(word in lowered or word in fragment.context.lower()
                       for word in ("mistral", "codestral"))
        project = self.projects.lookup(fragment.path)
        if project is None and not mentions:
            return []
        # Imported here: only files that mention Mistral get this far (a tree of files that do
        # not, such as most of the hook's calls, never builds the evidence types).
        from scanner.engine import evidence
        from scanner.engine.decide import Candidate, decide

        facts: evidence.FileFacts | None = None
        found = []
        for count, (start, end, secret) in enumerate(candidates(text)):
            if count >= MAX_CANDIDATES:
                break
            if (start, end) in claimed:
                continue
            if facts is None:
                facts = evidence.file_facts(text, lowered)
            if newlines is None:
                newlines = [m.start() for m in _NEWLINE.finditer(text)]
            line = bisect_left(newlines, start)
            candidate = Candidate(fragment.path, text, start, end,
                                  newlines[line - 1] + 1 if line else 0, line, fragment.context)
            decision = decide(candidate, facts, project)
            rule = self._by_id.get(decision.rule_id) if decision is not None else None
            if rule is not None and decision is not None:
                claimed.add((start, end))
                found.append(self._found(rule, fragment, start, end, secret, newlines,
                                         decision))
        return found

    def _found(self, rule: Rule, fragment: Fragment, start: int, end: int, secret: str,
               newlines: list[int], decision: Decision) -> Finding:
        """The finding for text[start:end]; its secret is remembered when `keep_secrets`."""
        finding = _finding(rule, fragment, start, end, secret, newlines, decision)
        if self._secrets is not None:
            self._secrets[finding.secret_sha256] = secret
        return finding



def _rule_decision(rule: Rule, fragment: Fragment, start: int) -> Decision:
    """A rule's own match as a decision: high confidence, unless the file says the key is fake
    (then low); risk rules keep their confidence."""
    from scanner.engine import decide as evidence_rules
    from scanner.engine import evidence
    from scanner.engine.decide import Candidate, Decision, downgrade_if_fake

    decision = Decision(rule.id, "high", (f"matched {rule.id}: {rule.title}",))
    if rule.shape != "mistral-key":
        return decision
    text = fragment.text
    line_start = text.rfind("\n", 0, start) + 1
    cloud = _OTHER_CLOUD_NEAR.search(text, max(start - 600, 0), start + 600)
    if cloud is not None:  # the key of a deployment on Azure AI or Vertex AI: its own fix hint
        decision = Decision(evidence_rules.OTHER_CLOUD, "high", (
            *decision.evidence, f"the client serves Mistral models on another cloud "
            f"(`{cloud.group()}`)"))
    candidate = Candidate(fragment.path, text, start, start, line_start, 0)
    return downgrade_if_fake(decision, candidate, evidence.binding(text, line_start, start).name)


def _matches(rule: Rule, text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    for low, high in windows:
        yield from rule.regex.finditer(text, low, high)


def _is_key_token(text: str, start: int, end: int, secret: str) -> bool:
    """A whole token (no letter or digit touching it) with the shape of a Mistral key."""
    return (
        not (start > 0 and text[start - 1].isascii() and text[start - 1].isalnum())
        and not (end < len(text) and text[end].isascii() and text[end].isalnum())
        and looks_like_mistral_key(secret)
    )


def _key_windows(text: str) -> list[tuple[int, int]]:
    """Merged character ranges around every key-shaped token of `text`; empty when none.

    Scanning only these ranges is what keeps files that mention Mistral but hold no key
    cheap: most rules never run on them at all.
    """
    return _merged(_line_window(text, *token.span(), LINES_BEFORE, 1)
                   for token in key_tokens(text) if looks_like_mistral_key(token.group()))


def _anchor_windows(anchors: tuple[str, ...], text: str, lowered: str) -> list[tuple[int, int]]:
    """Merged ranges within ANCHOR_LINES lines of an anchor (the whole text when lowering
    changed its length, so positions in `lowered` would not be positions in `text`)."""
    if len(lowered) != len(text):
        return [(0, len(text))]
    spans = []
    for anchor in anchors:
        position = lowered.find(anchor)
        while position >= 0:
            spans.append(_line_window(text, position, position + len(anchor),
                                      ANCHOR_LINES, ANCHOR_LINES))
            position = lowered.find(anchor, position + 1)
    return _merged(sorted(spans))


def _line_window(text: str, start: int, end: int, before: int, after: int) -> tuple[int, int]:
    """From the start of the line `before` lines above `start` to the end of the line `after`
    lines below `end`, capped at CHARS_BEFORE / CHARS_AFTER characters."""
    floor, ceiling = max(start - CHARS_BEFORE, 0), min(end + CHARS_AFTER, len(text))
    low = start
    for _ in range(before + 1):
        found = text.rfind("\n", floor, low)
        if found < 0:
            low = floor
            break
        low = found
    else:
        low += 1
    high = end
    for _ in range(after + 1):
        found = text.find("\n", high, ceiling)
        if found < 0:
            high = ceiling
            break
        high = found + 1
    return low, high


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges (given in order of their start) joined, up to MAX_WINDOW
    characters each: a line packed with tokens never becomes one window that a rule's pattern
    must search again and again."""
    windows: list[tuple[int, int]] = []
    for low, high in spans:
        if (windows and low <= windows[-1][1]
                and max(high, windows[-1][1]) - windows[-1][0] <= MAX_WINDOW):
            windows[-1] = (windows[-1][0], max(windows[-1][1], high))
        else:
            windows.append((low, high))
    return windows


def _context_holds(rule: Rule, text: str, position: int,
                   verdicts: dict[tuple[int, int], bool]) -> bool:
    """True when the rule has no context pattern, or it matches near `position`.

    `verdicts` remembers the answer per text window, so many matches on one long line (a
    minified bundle) or a whole-file context cost one search, not one search per match.
    """
    if rule.context is None:
        return True
    low, high = 0, len(text)
    if rule.context_lines:
        low = high = position
        for _ in range(rule.context_lines + 1):
            low = max(text.rfind("\n", 0, low), 0)
        for _ in range(rule.context_lines + 1):
            found = text.find("\n", high + 1)
            high = len(text) if found < 0 else found
    if (low, high) not in verdicts:
        verdicts[low, high] = rule.context.search(text, low, high) is not None
    return verdicts[low, high]


def _shown(matched: str) -> str:
    """What a risk rule matched (a name, a URL) as a report may show it: printable, at most 80
    characters, any key-shaped token inside redacted."""
    text = KEY_TOKEN.sub(lambda m: redact(m.group()), matched)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 80 else text[:79] + "…"


def _finding(rule: Rule, fragment: Fragment, start: int, end: int, secret: str,
             newlines: list[int], decision: Decision) -> Finding:
    """The Finding for text[start:end]; `newlines` (positions of "\n") place it in O(log n)."""
    index = bisect_left(newlines, start)  # newlines before start: the 0-based line
    line_start = newlines[index - 1] + 1 if index else 0
    column = start - line_start + 1 + (fragment.start_column - 1 if line_start == 0 else 0)
    cell, cell_line = fragment.cell_of(index) or (None, None)
    return Finding(
        rule_id=rule.id,
        slug=rule.slug,
        title=rule.title,
        severity=rule.severity,
        path=fragment.path,
        line=fragment.file_line(index),
        column=column,
        end_column=column + (end - start),
        preview=redact(secret),
        secret_sha256=sha256_hex(secret),
        fingerprint=fingerprint(rule.id, fragment.path, secret),
        fix=rule.fix,
        cell=cell,
        cell_line=cell_line,
        kind="key" if rule.shape == "mistral-key" else "risk",
        matched="" if rule.shape == "mistral-key" else _shown(secret),
        confidence=decision.confidence,
        evidence=decision.evidence,
    )
