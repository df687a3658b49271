"""IAM policy documents: read (with the position of any problem), and evaluated for one request
(action, resource, request context) as IAM evaluates identity-based policies: an explicit Deny
wins, then an Allow, else the implicit deny.  Pure functions, no AWS access.

What is evaluated:

- ``Action``/``NotAction``: ``service:Name`` with ``*`` and ``?``, case-insensitive.
- ``Resource``/``NotResource``: ARNs with ``*`` and ``?``, case-sensitive.  In the first five
  ``:``-separated parts a wildcard stays within its part, except a ``*`` that ends a part, which may
  run on past the colons (IAM's rule); in the resource part, which may itself hold ``:`` and ``/``,
  both match anything.  ``*`` alone matches every resource.
- ``Condition``: the operators ``String(Not)Equals(IgnoreCase)``, ``String(Not)Like``,
  ``Arn(Not)Equals``, ``Arn(Not)Like``, each also with ``IfExists`` and the ``ForAnyValue:`` /
  ``ForAllValues:`` set prefixes, on the keys the request context has (``aws:RequestedRegion``,
  ``bedrock:InferenceProfileArn``); keys match case-insensitively, values of a key are ORed, keys
  and operators ANDed.  A statement with any other operator or key is *not evaluated*: it neither
  allows nor denies, and the result says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

VERSION = "2012-10-17"
EFFECTS = ("Allow", "Deny")
STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Principal",
        "NotPrincipal",
    }
)

Context = Mapping[str, str]


@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] | None = None
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Policy:
    name: str
    statements: tuple[Statement, ...]


class PolicyError(BedrockProfileError):
    def __init__(self, name: str, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f"{name}:{line}:{column}" if line is not None else name
        super().__init__(
            ExitCode.USAGE,
            f"{where}: {message}",
            hint='give an IAM policy document: {"Version": "2012-10-17", "Statement": [...]}',
        )


def _position(text: str, needle: str) -> tuple[int, int] | tuple[None, None]:
    """Line and column of the first ``needle`` (a JSON key, quoted) in ``text``, for messages."""
    index = text.find(json.dumps(needle))
    if index < 0:
        return None, None
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _strings(value: object, name: str, what: str, text: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PolicyError(name, f"{what} must be a string or a non-empty list of strings", *_position(text, what))


def parse_policy(text: str, name: str) -> Policy:
    """The policy in ``text`` (from the file ``name``), or exit 2 naming the file and the position
    of the problem: not JSON, not a policy document, or a statement IAM would refuse."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(name, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(doc, dict):
        raise PolicyError(name, f"a policy document is a JSON object, not {type(doc).__name__}", 1, 1)
    if "Statement" not in doc:
        raise PolicyError(name, "no Statement: not an IAM policy document", 1, 1)
    version = doc.get("Version")
    if version is not None and version not in (VERSION, "2008-10-17"):
        raise PolicyError(
            name, f"Version {version!r} is not an IAM policy language version", *_position(text, "Version")
        )
    raw = doc["Statement"]
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not items or not all(isinstance(s, dict) for s in items):
        raise PolicyError(
            name, "Statement must be an object or a non-empty list of objects", *_position(text, "Statement")
        )
    statements = []
    for number, item in enumerate(items, 1):
        statements.append(_statement(item, number, name, text))
    return Policy(name, tuple(statements))


def _statement(item: Mapping[str, object], number: int, name: str, text: str) -> Statement:
    sid = str(item.get("Sid") or f"statement {number}")
    unknown = sorted(set(item) - STATEMENT_KEYS)
    if unknown:
        raise PolicyError(name, f"{sid}: unknown element {unknown[0]!r}", *_position(text, unknown[0]))
    if item.get("Effect") not in EFFECTS:
        raise PolicyError(name, f"{sid}: Effect must be Allow or Deny", *_position(text, "Effect"))
    if ("Action" in item) == ("NotAction" in item):
        raise PolicyError(name, f"{sid}: give exactly one of Action and NotAction", *_position(text, sid))
    if ("Resource" in item) == ("NotResource" in item):
        raise PolicyError(name, f"{sid}: give exactly one of Resource and NotResource", *_position(text, sid))
    if "Principal" in item or "NotPrincipal" in item:
        raise PolicyError(
            name,
            f"{sid}: Principal belongs in a resource-based policy, not an identity-based one",
            *_position(text, "Principal" if "Principal" in item else "NotPrincipal"),
        )
    conditions: dict[str, dict[str, tuple[str, ...]]] = {}
    raw_conditions = item.get("Condition", {})
    if not isinstance(raw_conditions, dict):
        raise PolicyError(name, f"{sid}: Condition must be an object", *_position(text, "Condition"))
    for operator, block in raw_conditions.items():
        if not isinstance(block, dict) or not block:
            raise PolicyError(
                name, f"{sid}: Condition {operator} must be an object of keys", *_position(text, operator)
            )
        conditions[operator] = {}
        for key, values in block.items():
            if isinstance(values, (str, bool, int, float)):
                values = [values]
            if not isinstance(values, list) or not all(
                isinstance(v, (str, bool, int, float)) for v in values
            ):
                raise PolicyError(
                    name, f"{sid}: Condition {operator} {key} must be values", *_position(text, key)
                )
            conditions[operator][key] = tuple(
                str(v).lower() if isinstance(v, bool) else str(v) for v in values
            )
    return Statement(
        sid=sid,
        effect=str(item["Effect"]),
        actions=_strings(item["Action"], name, "Action", text) if "Action" in item else (),
        not_actions=_strings(item["NotAction"], name, "NotAction", text) if "NotAction" in item else None,
        resources=_strings(item["Resource"], name, "Resource", text) if "Resource" in item else (),
        not_resources=_strings(item["NotResource"], name, "NotResource", text)
        if "NotResource" in item
        else None,
        conditions=conditions,
    )


# --- matching ------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(body, (re.IGNORECASE | re.DOTALL) if ignore_case else re.DOTALL)


def glob_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run of characters) and ``?`` (one character) over the whole value."""
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    return glob_match(pattern, action, ignore_case=True)


@lru_cache(maxsize=4096)
def _arn_glob(pattern: str) -> re.Pattern[str]:
    """An ARN pattern as IAM reads it: in the first five ``:``-separated parts a ``?`` is one
    character and a ``*`` stays within its part, unless it ends the part (then, as IAM's guide says,
    it "can expand to match beyond the colon boundaries"); in the resource part both match anything."""
    parts = pattern.split(":", 5)
    pieces = []
    for index, part in enumerate(parts):
        resource = index == 5
        piece = ""
        for position, ch in enumerate(part):
            if ch == "*":
                piece += ".*" if resource or position == len(part) - 1 else "[^:]*"
            elif ch == "?":
                piece += "." if resource else "[^:]"
            else:
                piece += re.escape(ch)
        pieces.append(piece)
    return re.compile(":".join(pieces), re.DOTALL)


def arn_matches(pattern: str, arn: str) -> bool:
    """An ARN pattern against an ARN (see the module's rules); ``*`` alone matches any resource."""
    return pattern == "*" or _arn_glob(pattern).fullmatch(arn) is not None


# --- conditions ----------------------------------------------------------------------------------

_OPERATOR_RE = re.compile(
    r"(?:(ForAnyValue|ForAllValues):)?(String|Arn)(Not)?(Equals|Like|EqualsIgnoreCase)(IfExists)?"
)


def _condition(operator: str, key: str, values: Sequence[str], context: Context) -> bool | None:
    """True/False, or None when this tool cannot evaluate it (operator or key unknown)."""
    match = _OPERATOR_RE.fullmatch(operator)
    if match is None:
        return None
    qualifier, kind, negated, test, if_exists = match.groups()
    if kind == "Arn" and test == "EqualsIgnoreCase":
        return None
    found = {k.lower(): v for k, v in context.items()}.get(key.lower())
    if found is None:
        if key.lower() not in KNOWN_CONTEXT_KEYS:
            return None  # a key this tool does not know the request's value of
        # IAM: a missing key makes ForAllValues true and ForAnyValue false (whatever the operator),
        # a plain operator false unless negated or ...IfExists.
        if qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return bool(if_exists or negated)
    if test == "Equals" and kind == "String":
        hit = any(v == found for v in values)
    elif test == "EqualsIgnoreCase":
        hit = any(v.lower() == found.lower() for v in values)
    elif kind == "Arn":  # ArnEquals and ArnLike both take wildcards, part by part
        hit = any(arn_matches(v, found) for v in values)
    else:  # StringLike
        hit = any(glob_match(v, found) for v in values)
    return not hit if negated else hit


KNOWN_CONTEXT_KEYS = frozenset({"aws:requestedregion", "bedrock:inferenceprofilearn"})


def conditions_hold(statement: Statement, context: Context) -> bool | None:
    """Whether every condition of ``statement`` holds for ``context``; None: not evaluated."""
    verdict: bool | None = True
    for operator, block in statement.conditions.items():
        for key, values in block.items():
            result = _condition(operator, key, values, context)
            if result is None:
                return None
            if not result:
                verdict = False
    return verdict


def statement_applies(statement: Statement, action: str, resource: str) -> bool:
    """Whether ``statement``'s action and resource elements cover this request (conditions aside)."""
    if statement.not_actions is not None:
        action_ok = not any(action_matches(p, action) for p in statement.not_actions)
    else:
        action_ok = any(action_matches(p, action) for p in statement.actions)
    if not action_ok:
        return False
    if statement.not_resources is not None:
        return not any(arn_matches(p, resource) for p in statement.not_resources)
    return any(arn_matches(p, resource) for p in statement.resources)


@dataclass
class Decision:
    """What the policies say of one request."""

    action: str
    resource: str
    allowed_by: list[str] = field(default_factory=list)  # "file: sid"
    denied_by: list[str] = field(default_factory=list)
    not_evaluated: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return bool(self.allowed_by) and not self.denied_by


def evaluate(policies: Sequence[Policy], action: str, resource: str, context: Context) -> Decision:
    """Identity-based policy evaluation of one request (no SCPs, boundaries or session policies)."""
    decision = Decision(action, resource)
    for policy in policies:
        for statement in policy.statements:
            if not statement_applies(statement, action, resource):
                continue
            label = f"{policy.name}: {statement.sid}"
            holds = conditions_hold(statement, context)
            if holds is None:
                decision.not_evaluated.append(label)
            elif holds:
                (decision.denied_by if statement.effect == "Deny" else decision.allowed_by).append(label)
    return decision
