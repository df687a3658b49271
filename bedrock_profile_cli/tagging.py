"""Tags of application profiles (``--tag KEY[=VALUE]``), and what can be derived about an application
profile from the system-defined ones (its model, and the profile it was probably copied from).
Pure functions, no AWS access."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import model_arns, parse_model_arn

Profile = Mapping[str, object]


@dataclass(frozen=True)
class TagSpec:
    """``KEY`` (the tag is there, any value) or ``KEY=VALUE`` (with exactly that value)."""

    key: str
    value: str | None = None

    def matches(self, tags: Mapping[str, str]) -> bool:
        return self.key in tags and (self.value is None or tags[self.key] == self.value)

    def __str__(self) -> str:
        return self.key if self.value is None else f"{self.key}={self.value}"


def parse_tag_spec(text: str, option: str = "--tag") -> TagSpec:
    """``KEY`` or ``KEY=VALUE`` (split at the first ``=``); an empty key is exit 2."""
    key, equals, value = text.partition("=")
    if not key:
        raise BedrockProfileError(
            ExitCode.USAGE, f"{option} {text!r} has no key", hint=f"write {option} KEY or {option} KEY=VALUE"
        )
    return TagSpec(key, value if equals else None)


def all_match(specs: Iterable[TagSpec], tags: Mapping[str, str]) -> bool:
    return all(spec.matches(tags) for spec in specs)


def copied_from(profile: Profile, system_summaries: Iterable[Profile]) -> str | None:
    """The system-defined profile whose models (the same model ARNs, any order) an application
    profile routes to, if exactly one does: what it was probably created from with ``copyFrom``."""
    mine = set(model_arns(profile))
    if not mine:
        return None
    same = sorted(
        str(s.get("inferenceProfileId"))
        for s in system_summaries
        if s.get("type") == "SYSTEM_DEFINED" and set(model_arns(s)) == mine
    )
    return same[0] if len(same) == 1 else None


def derived(profile: Profile, system_summaries: Iterable[Profile]) -> dict[str, object]:
    """What the tool derives (not what the service says) about an application profile."""
    models = list(dict.fromkeys(parse_model_arn(arn)[1] for arn in model_arns(profile)))
    return {"models": models, "copiedFrom": copied_from(profile, system_summaries)}
