"""The decision: from the evidence around a candidate key to a finding, or nothing.

Each decision names the rule of its strongest evidence (so `rules explain` and the fix hints
keep working), a confidence and the evidence in words. The order of the checks below is the
order of strength:

  high    the name says Mistral; the name (or the key itself) reaches a Mistral client or a
          Bearer header to a Mistral host; a key pasted where an environment variable name
          belongs in a Mistral file; a key printed right after the Mistral key variable was;
          a key-ish name in a file that clearly talks to Mistral
  medium  a key-ish name in a file that only mentions Mistral; a key-ish name or a comment in
          a project whose manifest depends on a Mistral SDK
  low     any of the above when the file says the key is fake (fixture folder, FAKE/dummy/mock)

A name for another provider (`OPENAI_KEY`) with no path to Mistral is no finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.engine import evidence as ev

# Rule ids of the evidence; each is documented in rules/*.toml like any rule.
NAMED_MISTRAL, NAMED_CODESTRAL = "MG001", "MG004"
CLIENT, BEARER, CODESTRAL_BEARER, GENERIC = "MG002", "MG003", "MG007", "MG016"
CODESTRAL_GENERIC = "MG006"
PRINTED, MISPLACED, PROJECT, OTHER_CLOUD = "MG029", "MG030", "MG031", "MG032"


@dataclass(frozen=True, slots=True)
class Decision:
    """A finding to make: its rule, confidence and evidence in words."""

    rule_id: str
    confidence: str
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A key-shaped token and where it sits, for the decision."""

    path: str
    text: str
    start: int
    end: int
    line_start: int  # offset of the start of its line
    line: int  # its 0-based line in the text
    context: str = ""  # text just before the fragment (a notebook output's cell source)


def decide(candidate: Candidate, facts: ev.FileFacts, project: str | None) -> Decision | None:
    """The finding the evidence supports for one candidate no rule claimed, or None."""
    text, start = candidate.text, candidate.start
    bound = ev.binding(text, candidate.line_start, start)
    decision = _strongest(candidate, bound, facts, project)
    if decision is None:
        return None
    return downgrade_if_fake(decision, candidate, bound.name)


def downgrade_if_fake(decision: Decision, candidate: Candidate, name: str | None) -> Decision:
    """The decision at low confidence when the file or the name says the key is fake."""
    fake = ev.fake_marker(candidate.path, candidate.text, candidate.line_start, candidate.start,
                          name)
    if fake is None:
        return decision
    return Decision(decision.rule_id, "low", (*decision.evidence, f"{fake}: low confidence"))


def _strongest(candidate: Candidate, bound: ev.Binding, facts: ev.FileFacts,
               project: str | None) -> Decision | None:
    text = candidate.text
    words = ev.name_words(bound.name) if bound.name else []
    label_words = ev.name_words(bound.label) if bound.label else []
    named = f"bound to `{ev.name_shown(bound.name)}`" if bound.name else None
    vendor = ev.says_mistral(words) or (ev.says_mistral(label_words)
                                        if ev.is_keyish(label_words) else None)
    if vendor is not None and (ev.is_keyish(words) or ev.is_keyish(label_words)
                               or words in (["mistral"], ["codestral"])):
        rule = NAMED_CODESTRAL if vendor == "codestral" else NAMED_MISTRAL
        shown = named or f"labelled `{ev.name_shown(bound.label)}`"
        return Decision(rule, "high", (f"{shown}: the name says {vendor.capitalize()}",))

    if ev.is_env_lookup(bound.call) and facts.mentions_mistral:
        return Decision(MISPLACED, "high", (
            f"pasted where `{ev.name_shown(bound.call or '')}` expects a variable name",
            facts.mistral or "the file mentions Mistral"))

    sinks = _sinks(candidate, bound, words, facts)
    if sinks:
        sink = sinks[0]
        if sink.kind == "bearer":
            rule = CODESTRAL_BEARER if sink.codestral or facts.codestral else BEARER
        else:
            rule = CLIENT
        if facts.other_cloud and rule != CODESTRAL_BEARER:
            rule = OTHER_CLOUD
        return Decision(rule, "high", tuple(filter(None, (named, *(s.words for s in sinks)))))

    printed = ev.printed_before(text, candidate.line_start, candidate.start, candidate.end,
                                candidate.context)
    if printed is not None:
        return Decision(PRINTED, "high", (printed,))

    if bound.bearer and facts.mistral is not None:
        rule = CODESTRAL_BEARER if facts.codestral else BEARER
        return Decision(rule, "high", ("the value carries the Bearer scheme", facts.mistral))

    if not ev.is_generic_credential(words) and not bound.bearer:
        decided = _mistral_file_decision(candidate, bound, facts) \
            if facts.mentions_mistral else None
        # A file that only names Mistral in passing ("# summarise with mistral") is still in
        # its project: the manifest's evidence holds there too.
        if decided is None and project is not None and not (facts.other_sdk or facts.other_cloud):
            decided = _project_decision(candidate, bound, project)
        return decided
    if facts.other_cloud:
        return Decision(OTHER_CLOUD, "high", (
            f"{named}, in a file that serves Mistral models on another cloud",
            facts.mistral or "the file mentions Mistral"))
    generic = CODESTRAL_GENERIC if facts.codestral else GENERIC
    if facts.mistral is not None and not facts.model_only:
        return Decision(generic, "high", (f"{named}, a name for a credential", facts.mistral))
    if facts.other_sdk:
        return None  # Mistral models served by another provider: most likely its key
    if facts.mistral is not None:
        return Decision(generic, "medium", (f"{named}, a name for a credential", facts.mistral))
    if facts.mentions_mistral:
        return Decision(generic, "medium", (f"{named}, a name for a credential",
                                            "the file mentions Mistral"))
    if project is not None and ev.is_unclaimed_credential(words):  # not a framework SECRET_KEY
        return Decision(PROJECT, "medium", (
            f"{named}, a name for a credential",
            f"the project depends on Mistral (`{ev.name_shown(project)}`)"))
    return None


def _sinks(candidate: Candidate, bound: ev.Binding, words: list[str],
           facts: ev.FileFacts) -> list[ev.Sink]:
    """Where the candidate goes: through its name, or as a direct argument of a call."""
    text = candidate.text
    found: list[ev.Sink] = []
    direct = None
    if bound.name is None or ev.is_keyish(words):  # not `timeout_ms="..."` inside Mistral(
        direct = ev.call_sink(text, candidate.start, bound.call, facts)
    if direct is not None:
        found.append(direct)
    if bound.name and not found and (facts.mentions_mistral or facts.other_cloud):
        found.extend(ev.name_sinks(text, bound.name, bound.line or candidate.line, facts))
        if not found and ev.is_keyish(words):
            sibling = ev.sibling_sink(text, bound.line or candidate.line, bound.name)
            found.extend([sibling] if sibling is not None else [])
    if not found and bound.call and not ev.is_env_lookup(bound.call) and facts.mentions_mistral:
        found.extend(ev.parameter_sinks(text, bound.call, bound.argument, facts))
    return found


def _mistral_file_decision(candidate: Candidate, bound: ev.Binding,
                           facts: ev.FileFacts) -> Decision | None:
    """A key in a file that talks to Mistral (and to no other provider or cloud) under a
    credential-like name that names no other service (`SUMMARIZER_KEY`), or in a comment that
    speaks of a key ("old key was ...")."""
    if facts.mistral is None or facts.model_only or facts.other_sdk or facts.other_cloud:
        return None
    rule = CODESTRAL_GENERIC if facts.codestral else GENERIC
    name = _credential_name(bound)
    if name is not None and ev.is_unclaimed_credential(ev.name_words(name)):
        return Decision(rule, "medium", (
            f"bound to `{ev.name_shown(name)}`, a name for a credential", facts.mistral))
    if ev.comment_about_key(candidate.text, candidate.line_start, candidate.start):
        return Decision(rule, "medium", ("a comment that speaks of a key", facts.mistral))
    return None


def _credential_name(bound: ev.Binding) -> str | None:
    """The name that says what the value is: the bound name, a key setter's (`.apiKey(`), or
    the words just before a value that is no call's argument ("Production API key: ...")."""
    return bound.name or ev.setter_name(bound.call) or (None if bound.call else bound.label)


def _project_decision(candidate: Candidate, bound: ev.Binding,
                      project: str) -> Decision | None:
    """A key in a file with no Mistral word of a project whose manifest depends on Mistral:
    under a credential-like name that names no other service (`SUMMARIZER_KEY`,
    `.apiKey("...")`), or in a comment that speaks of a key ("old key was ...")."""
    depends = f"the project depends on Mistral (`{ev.name_shown(project)}`)"
    name = _credential_name(bound)
    if name is not None and ev.is_unclaimed_credential(ev.name_words(name)):
        return Decision(PROJECT, "medium", (
            f"bound to `{ev.name_shown(name)}`, a name for a credential", depends))
    if ev.comment_about_key(candidate.text, candidate.line_start, candidate.start):
        return Decision(PROJECT, "medium", ("a comment that speaks of a key", depends))
    return None
