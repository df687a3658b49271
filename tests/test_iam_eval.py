"""The IAM policy reader and evaluator (``iam.py``): IAM's documented rules, case by case."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedrock_profile_cli.errors import ExitCode
from bedrock_profile_cli.iam import PolicyError, arn_matches, evaluate, parse_policy

INVOKE = "bedrock:InvokeModel"
MODEL = "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-6"
PROFILE = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6"
CONTEXT = {"aws:RequestedRegion": "us-east-2", "bedrock:InferenceProfileArn": PROFILE}


def policy(*statements: dict, name: str = "p.json"):
    return parse_policy(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}), name)


def allow(**extra):
    return {"Effect": "Allow", "Action": INVOKE, "Resource": MODEL, **extra}


def test_allow_then_explicit_deny_wins() -> None:
    assert evaluate([policy(allow())], INVOKE, MODEL, CONTEXT).allowed
    denied = evaluate(
        [policy(allow(), {"Sid": "No", "Effect": "Deny", "Action": "bedrock:*", "Resource": "*"})],
        INVOKE,
        MODEL,
        CONTEXT,
    )
    assert not denied.allowed and denied.denied_by == ["p.json: No"]


def test_nothing_said_is_the_implicit_deny() -> None:
    decision = evaluate([policy(allow(Resource=PROFILE))], INVOKE, MODEL, CONTEXT)
    assert not decision.allowed and not decision.denied_by


@pytest.mark.parametrize(
    ("pattern", "allowed"),
    [
        ("bedrock:InvokeModel", True),
        ("BEDROCK:invokemodel", True),  # actions are case-insensitive
        ("bedrock:Invoke*", True),
        ("bedrock:InvokeModel?", False),  # ? is exactly one character
        ("bedrock:InvokeMode?", True),
        ("bedrock:InvokeModelWithResponseStream", False),
        ("*", True),
    ],
)
def test_action_wildcards_and_case(pattern: str, allowed: bool) -> None:
    assert evaluate([policy(allow(Action=pattern))], INVOKE, MODEL, CONTEXT).allowed is allowed


def test_not_action_and_not_resource() -> None:
    everything_but_s3 = {"Effect": "Allow", "NotAction": "s3:*", "Resource": MODEL}
    assert evaluate([policy(everything_but_s3)], INVOKE, MODEL, CONTEXT).allowed
    not_bedrock = {"Effect": "Allow", "NotAction": "bedrock:*", "Resource": MODEL}
    assert not evaluate([policy(not_bedrock)], INVOKE, MODEL, CONTEXT).allowed
    other_resources = {"Effect": "Allow", "Action": INVOKE, "NotResource": "arn:aws:bedrock:us-west-2::*"}
    assert evaluate([policy(other_resources)], INVOKE, MODEL, CONTEXT).allowed
    deny_but_profiles = {
        "Effect": "Deny",
        "Action": INVOKE,
        "NotResource": "arn:aws:bedrock:*:*:inference-profile/*",
    }
    assert not evaluate([policy(allow(), deny_but_profiles)], INVOKE, MODEL, CONTEXT).allowed


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ("arn:aws:bedrock:*::foundation-model/*", True),
        ("arn:aws:bedrock:us-east-?::foundation-model/anthropic.*", True),
        (
            "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6",
            False,
        ),  # region-less is another ARN
        ("arn:aws:bedrock:us-east-2::foundation-model/Anthropic.claude-sonnet-4-6", False),  # case-sensitive
        ("arn:aws:bedrock:*", True),  # the last part given stands for the rest
        ("arn:aws:*:us-east-2::foundation-model/*", True),
        ("arn:aws:bedrock:us-*-2:*:foundation-model/*", True),
        ("arn:aws:bedrock:us-*-2:foundation-model/*", False),  # a * inside a part does not cross a ':'
        ("arn:aws:bedrock:*:foundation-model/*", True),  # a * ending a part may (IAM's guide)
        ("arn:aws:bedrock:us-east-?::foundation-model/anthropic.claude-sonnet-4-?", True),
    ],
)
def test_arn_wildcards_stay_within_their_part(pattern: str, matches: bool) -> None:
    assert arn_matches(pattern, MODEL) is matches


def test_region_less_arn_needs_its_own_grant() -> None:
    region_less = "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6"
    assert arn_matches("arn:aws:bedrock:*::foundation-model/*", region_less)  # * matches the empty region
    assert not arn_matches(MODEL, region_less)


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-east-2"]}}, True),
        ({"StringEquals": {"aws:requestedregion": "us-east-2"}}, True),  # keys are case-insensitive
        ({"StringEquals": {"aws:RequestedRegion": "US-EAST-2"}}, False),  # values are not
        ({"StringEqualsIgnoreCase": {"aws:RequestedRegion": "US-EAST-2"}}, True),
        ({"StringNotEquals": {"aws:RequestedRegion": "us-east-2"}}, False),
        ({"StringLike": {"aws:RequestedRegion": "us-*"}}, True),
        ({"ArnLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/us.*"}}, True),
        ({"ArnEquals": {"bedrock:InferenceProfileArn": PROFILE}}, True),
        ({"ArnNotLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/*"}}, False),
        (
            {
                "StringEquals": {"aws:RequestedRegion": "us-east-2"},
                "ArnLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/eu.*"},
            },
            False,  # operators are ANDed
        ),
    ],
)
def test_conditions_on_keys_the_request_has(condition: dict, holds: bool) -> None:
    assert evaluate([policy(allow(Condition=condition))], INVOKE, MODEL, CONTEXT).allowed is holds


def test_a_missing_key_fails_a_condition_unless_if_exists_or_negated() -> None:
    no_profile = {"aws:RequestedRegion": "us-east-2"}
    arn_like = {"ArnLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/*"}}
    assert not evaluate([policy(allow(Condition=arn_like))], INVOKE, MODEL, no_profile).allowed
    if_exists = {
        "ArnLikeIfExists": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/*"}
    }
    assert evaluate([policy(allow(Condition=if_exists))], INVOKE, MODEL, no_profile).allowed


def test_conditions_it_cannot_evaluate_neither_allow_nor_deny_and_are_named() -> None:
    tagged = allow(Sid="Tagged", Condition={"StringEquals": {"aws:PrincipalTag/team": "ml"}})
    decision = evaluate([policy(tagged)], INVOKE, MODEL, CONTEXT)
    assert not decision.allowed and decision.not_evaluated == ["p.json: Tagged"]
    ip_deny = {
        "Sid": "Ip",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    }
    decision = evaluate([policy(allow(), ip_deny)], INVOKE, MODEL, CONTEXT)
    # A Deny this tool cannot evaluate may deny: the request is not taken as allowed.
    assert not decision.allowed and decision.may_be_denied_by == ["p.json: Ip"]


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('{"Version": "2012-10-17", "Statement": [}', "p.json:1:", "not JSON"),
        ("[1, 2]", "p.json:1:1", "JSON object"),
        ('{"Version": "2012-10-17"}', "p.json:1:1", "no Statement"),
        (
            '{\n  "Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]\n}',
            "p.json:2:",
            "Effect",
        ),
        ('{"Statement": {"Effect": "Allow", "Resource": "*"}}', "p.json", "Action and NotAction"),
        ('{"Statement": {"Effect": "Allow", "Action": 5, "Resource": "*"}}', "p.json:1:", "Action must be"),
        (
            '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}}',
            "p.json:1:",
            "Principal",
        ),
    ],
)
def test_a_file_that_is_not_a_policy_is_exit_2_with_its_position(text: str, where: str, what: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.json")
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message.startswith(where) and what in caught.value.message


def test_set_qualifiers_on_a_missing_key() -> None:
    # IAM's rule: a key absent from the request makes ForAllValues true and ForAnyValue false.
    no_profile = {"aws:RequestedRegion": "us-east-1"}
    other = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.other"
    any_not = allow(Condition={"ForAnyValue:ArnNotEquals": {"bedrock:InferenceProfileArn": other}})
    assert not evaluate([policy(any_not)], INVOKE, MODEL, no_profile).allowed
    all_equal = allow(Condition={"ForAllValues:ArnEquals": {"bedrock:InferenceProfileArn": PROFILE}})
    assert evaluate([policy(all_equal)], INVOKE, MODEL, no_profile).allowed
    deny = {
        "Sid": "D",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"ForAllValues:ArnEquals": {"bedrock:InferenceProfileArn": other}},
    }
    assert evaluate([policy(allow(), deny)], INVOKE, MODEL, no_profile).denied_by == ["p.json: D"]


def test_null_on_a_key_the_request_has_or_lacks() -> None:
    absent = allow(Condition={"Null": {"bedrock:InferenceProfileArn": "true"}})
    assert not evaluate([policy(absent)], INVOKE, MODEL, CONTEXT).allowed
    assert evaluate([policy(absent)], INVOKE, MODEL, {"aws:RequestedRegion": "us-east-2"}).allowed
    present = allow(Condition={"Null": {"bedrock:InferenceProfileArn": "false"}})
    assert evaluate([policy(present)], INVOKE, MODEL, CONTEXT).allowed


def test_wildcards_never_take_exponential_time() -> None:
    import time

    started = time.perf_counter()
    assert not evaluate([policy(allow(Action="*?" * 40 + "Z"))], INVOKE, MODEL, CONTEXT).allowed
    pattern = "arn:aws:bedrock:" + "*?" * 40 + "Z"
    assert not evaluate([policy(allow(Resource=pattern))], INVOKE, MODEL + "x" * 2000, CONTEXT).allowed
    assert time.perf_counter() - started < 5  # a backtracking matcher takes minutes here


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("[" * 100_000 + "]" * 100_000, "p.json:1:1", "nested too deeply"),
        ('{"Statement": {"Sid": ' + "9" * 5000 + "}}", "p.json:1:1", "not JSON this tool reads"),
        (
            '{"Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}}',
            "p.json:1:",
            "given twice",
        ),
        ('{"Statement": [], "Statement": {}}', "p.json:1:", "given twice"),
        (
            '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}, "Extra": 1}',
            "p.json:1:",
            "top-level",
        ),
        (
            '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEqualz": {"a": "b"}}}}',
            "p.json:1:",
            "not an IAM condition operator",
        ),
        (
            '{"Statement": [\n  {"Effect": "Allow", "Action": "*", "Resource": "*"},\n  {"Effect": "Alow", "Action": "*", "Resource": "*"}\n]}',
            "p.json:3:4",
            "statement 2: Effect",
        ),
    ],
)
def test_what_iam_would_refuse_is_exit_2_at_its_place(text: str, where: str, what: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.json")
    assert caught.value.message.startswith(where), caught.value.message
    assert what in caught.value.message


def test_a_byte_order_mark_is_not_an_error() -> None:
    text = "\ufeff" + json.dumps({"Version": "2012-10-17", "Statement": allow()})
    assert parse_policy(text, "p.json").statements[0].effect == "Allow"


def _reference(pattern: str, value: str) -> bool:
    """The same ARN rule written as a regular expression (fine for these short strings)."""
    import re

    pieces = []
    for index, part in enumerate(pattern.split(":", 5)):
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
    return re.fullmatch(":".join(pieces), value, re.DOTALL) is not None


@given(st.text("ab:/*?", max_size=12), st.text("ab:/", max_size=14))
@settings(max_examples=400, deadline=None)
def test_the_matcher_agrees_with_a_regular_expression_of_the_same_rule(pattern: str, value: str) -> None:
    assert arn_matches(pattern, value) is (pattern == "*" or _reference(pattern, value))
