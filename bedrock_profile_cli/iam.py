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
  and operators ANDed; ``Null`` on those keys too.  A statement with any other operator or key is
  *not evaluated*: an Allow does not allow, and a Deny that covers the request counts as one that
  may deny it (the request is not taken as allowed); the result names them.  An operator IAM does
  not know, a key given twice, or anything else IAM would refuse is exit 2.
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


TOP_LEVEL_KEYS = frozenset({"Version", "Id", "Statement"})
# Every condition operator IAM knows (an unknown one makes IAM refuse the whole document).
_KNOWN_OPERATOR_RE = re.compile(
    r"(?:(?:ForAnyValue|ForAllValues):)?(?:"
    r"String(?:Not)?Equals(?:IgnoreCase)?|String(?:Not)?Like|"
    r"Numeric(?:Not)?Equals|Numeric(?:Less|Greater)Than(?:Equals)?|"
    r"Date(?:Not)?Equals|Date(?:Less|Greater)Than(?:Equals)?|"
    r"Bool|BinaryEquals|(?:Not)?IpAddress|Arn(?:Not)?(?:Equals|Like))(?:IfExists)?|Null"
)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)  # IAM reads one of them; a reviewer may read the other
        seen[key] = value
    return seen


def _line_column(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _statement_spans(text: str) -> list[tuple[int, int]]:
    """Where each statement's object starts and ends in ``text`` (empty when it cannot tell)."""
    decoder = json.JSONDecoder()
    key = text.find('"Statement"')
    if key < 0:
        return []
    index = text.find(":", key) + 1
    while index < len(text) and text[index].isspace():
        index += 1
    spans: list[tuple[int, int]] = []
    try:
        if text[index : index + 1] == "{":
            return [(index, decoder.raw_decode(text, index)[1])]
        if text[index : index + 1] != "[":
            return []
        index += 1
        while index < len(text):
            while index < len(text) and (text[index].isspace() or text[index] == ","):
                index += 1
            if text[index : index + 1] in ("]", ""):
                break
            end = decoder.raw_decode(text, index)[1]
            spans.append((index, end))
            index = end
    except (ValueError, RecursionError):
        return spans
    return spans


def parse_policy(text: str, name: str) -> Policy:
    """The policy in ``text`` (from the file ``name``), or exit 2 naming the file and the position
    of the problem: not JSON, not a policy document, or a statement IAM would refuse."""
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise PolicyError(name, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except _DuplicateKey as exc:
        at = text.rfind(json.dumps(exc.key))
        where = _line_column(text, at) if at >= 0 else (None, None)
        raise PolicyError(
            name, f"key {exc.key!r} given twice in one object (IAM would read only one)", *where
        ) from None
    except RecursionError:
        raise PolicyError(name, "not JSON this tool reads: nested too deeply", 1, 1) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise PolicyError(name, f"not JSON this tool reads: {exc}", 1, 1) from None
    if not isinstance(doc, dict):
        raise PolicyError(name, f"a policy document is a JSON object, not {type(doc).__name__}", 1, 1)
    if "Statement" not in doc:
        raise PolicyError(name, "no Statement: not an IAM policy document", 1, 1)
    unknown = sorted(set(doc) - TOP_LEVEL_KEYS)
    if unknown:
        raise PolicyError(name, f"unknown top-level element {unknown[0]!r}", *_position(text, unknown[0]))
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
    spans = _statement_spans(text)
    statements = []
    for number, item in enumerate(items, 1):
        span = spans[number - 1] if len(spans) == len(items) else None
        statements.append(_statement(item, number, name, _Located(text, span)))
    return Policy(name, tuple(statements))


@dataclass(frozen=True)
class _Located:
    """Positions inside one statement of the file: a key's, else the statement's start."""

    text: str
    span: tuple[int, int] | None

    def of(self, key: str) -> tuple[int, int] | tuple[None, None]:
        if self.span is None:
            return _position(self.text, key)
        start, end = self.span
        found = self.text.find(json.dumps(key), start, end)
        return _line_column(self.text, found if found >= 0 else start)


def _strings(value: object, name: str, what: str, sid: str, where: _Located) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PolicyError(name, f"{sid}: {what} must be a string or a non-empty list of strings", *where.of(what))


def _statement(item: Mapping[str, object], number: int, name: str, where: _Located) -> Statement:
    raw_sid = item.get("Sid")
    if raw_sid is not None and not isinstance(raw_sid, str):
        raise PolicyError(name, f"statement {number}: Sid must be a string", *where.of("Sid"))
    sid = raw_sid or f"statement {number}"
    unknown = sorted(set(item) - STATEMENT_KEYS)
    if unknown:
        raise PolicyError(name, f"{sid}: unknown element {unknown[0]!r}", *where.of(unknown[0]))
    if item.get("Effect") not in EFFECTS:
        raise PolicyError(name, f"{sid}: Effect must be Allow or Deny", *where.of("Effect"))
    if ("Action" in item) == ("NotAction" in item):
        raise PolicyError(name, f"{sid}: give exactly one of Action and NotAction", *where.of("Effect"))
    if ("Resource" in item) == ("NotResource" in item):
        raise PolicyError(name, f"{sid}: give exactly one of Resource and NotResource", *where.of("Effect"))
    if "Principal" in item or "NotPrincipal" in item:
        raise PolicyError(
            name,
            f"{sid}: Principal belongs in a resource-based policy, not an identity-based one",
            *where.of("Principal" if "Principal" in item else "NotPrincipal"),
        )
    conditions: dict[str, dict[str, tuple[str, ...]]] = {}
    raw_conditions = item.get("Condition", {})
    if not isinstance(raw_conditions, dict):
        raise PolicyError(name, f"{sid}: Condition must be an object", *where.of("Condition"))
    for operator, block in raw_conditions.items():
        if not _KNOWN_OPERATOR_RE.fullmatch(operator):
            raise PolicyError(
                name, f"{sid}: {operator!r} is not an IAM condition operator", *where.of(operator)
            )
        if not isinstance(block, dict) or not block:
            raise PolicyError(
                name, f"{sid}: Condition {operator} must be an object of keys", *where.of(operator)
            )
        conditions[operator] = {}
        for key, values in block.items():
            if isinstance(values, (str, bool, int, float)):
                values = [values]
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, (str, bool, int, float)) for v in values)
            ):
                raise PolicyError(
                    name, f"{sid}: Condition {operator} {key} must be one or more values", *where.of(key)
                )
            conditions[operator][key] = tuple(
                str(v).lower() if isinstance(v, bool) else str(v) for v in values
            )
    return Statement(
        sid=sid,
        effect=str(item["Effect"]),
        actions=_strings(item["Action"], name, "Action", sid, where) if "Action" in item else (),
        not_actions=_strings(item["NotAction"], name, "NotAction", sid, where)
        if "NotAction" in item
        else None,
        resources=_strings(item["Resource"], name, "Resource", sid, where) if "Resource" in item else (),
        not_resources=_strings(item["NotResource"], name, "NotResource", sid, where)
        if "NotResource" in item
        else None,
        conditions=conditions,
    )


# --- matching ------------------------------------------------------------------------------------


# Wildcard matching without backtracking: the set of value positions the pattern can have reached
# is a bit mask, advanced one pattern token at a time, so a pattern such as "*?*?*?Z" costs
# O(len(pattern) x len(value) / word size), never exponential time (a regex could be).

_ANY, _STAR = object(), object()
Token = tuple[object, bool]  # (a character, _ANY for '?', or _STAR for '*'; may it match ':'?)


def _wildcard_match(tokens: Sequence[Token], value: str) -> bool:
    size = len(value)
    full = (1 << (size + 1)) - 1
    masks: dict[str, int] = {}
    for index, ch in enumerate(value):
        masks[ch] = masks.get(ch, 0) | (1 << index)
    colons = masks.get(":", 0)
    anything = (1 << size) - 1
    state = 1  # position 0 reached
    for token, crosses in tokens:
        if not state:
            return False
        if token is _STAR:
            if crosses:
                state = full & ~((state & -state) - 1)  # every position from the first reached on
            else:  # any run of characters other than ':'
                grow = state
                while True:
                    step = ((grow & (anything & ~colons)) << 1) | grow
                    if step == grow:
                        break
                    grow = step
                state = grow & full
        elif token is _ANY:
            allowed = anything if crosses else anything & ~colons
            state = ((state & allowed) << 1) & full
        else:
            state = ((state & masks.get(str(token), 0)) << 1) & full
    return bool(state >> size & 1)


@lru_cache(maxsize=4096)
def _glob_tokens(pattern: str) -> tuple[Token, ...]:
    return tuple((_STAR if ch == "*" else _ANY if ch == "?" else ch, True) for ch in pattern)


def _cheap_verdict(pattern: str, value: str) -> bool | None:
    """The answer without the walk when the literal text around the wildcards decides it (most
    patterns in a policy are whole ARNs, or an ARN up to a final ``*``); None: walk."""
    first = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=-1)
    if first < 0:
        return pattern == value
    if not value.startswith(pattern[:first]):
        return False
    last = max(pattern.rfind("*"), pattern.rfind("?"))
    suffix = pattern[last + 1 :]
    if suffix and not value.endswith(suffix):
        return False
    return None


def glob_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run of characters) and ``?`` (one character) over the whole value."""
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    verdict = _cheap_verdict(pattern, value)
    return verdict if verdict is not None else _wildcard_match(_glob_tokens(pattern), value)


def action_matches(pattern: str, action: str) -> bool:
    return glob_match(pattern, action, ignore_case=True)


@lru_cache(maxsize=4096)
def _arn_tokens(pattern: str) -> tuple[Token, ...]:
    """An ARN pattern as IAM reads it: in the first five ``:``-separated parts a ``?`` is one
    character and a ``*`` stays within its part, unless it ends the part (then, as IAM's guide says,
    it "can expand to match beyond the colon boundaries"); in the resource part both match anything."""
    tokens: list[Token] = []
    parts = pattern.split(":", 5)
    for index, part in enumerate(parts):
        if index:
            tokens.append((":", True))
        resource = index == 5
        for position, ch in enumerate(part):
            if ch == "*":
                tokens.append((_STAR, resource or position == len(part) - 1))
            elif ch == "?":
                tokens.append((_ANY, resource))
            else:
                tokens.append((ch, True))
    return tuple(tokens)


def arn_matches(pattern: str, arn: str) -> bool:
    """An ARN pattern against an ARN (see the module's rules); ``*`` alone matches any resource."""
    if pattern == "*":
        return True
    verdict = _cheap_verdict(pattern, arn)
    return verdict if verdict is not None else _wildcard_match(_arn_tokens(pattern), arn)


# --- conditions ----------------------------------------------------------------------------------

_OPERATOR_RE = re.compile(
    r"(?:(ForAnyValue|ForAllValues):)?(String|Arn)(Not)?(Equals|Like|EqualsIgnoreCase)(IfExists)?"
)


def _condition(operator: str, key: str, values: Sequence[str], context: Context) -> bool | None:
    """True/False, or None when this tool cannot evaluate it (operator or key unknown)."""
    if operator == "Null":  # "true": the key is absent from the request; "false": present
        if key.lower() not in KNOWN_CONTEXT_KEYS:
            return None
        present = any(k.lower() == key.lower() for k in context)
        return any((v.lower() == "true") != present for v in values)
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
    # Deny statements that cover the request but whose conditions cannot be evaluated here: they
    # may deny it, so the request is not taken as allowed.
    may_be_denied_by: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return bool(self.allowed_by) and not self.denied_by and not self.may_be_denied_by


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
                if statement.effect == "Deny":
                    decision.may_be_denied_by.append(label)
            elif holds:
                (decision.denied_by if statement.effect == "Deny" else decision.allowed_by).append(label)
    return decision
