"""``--query``: JMESPath over what would be printed, as the AWS CLI applies it."""

from __future__ import annotations

from typing import Protocol

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode


class CompiledQuery(Protocol):
    def search(self, value: object) -> object: ...


def compile_query(expression: str) -> CompiledQuery:
    """A compiled JMESPath expression; an invalid one is a usage error with the parser's message."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        compiled: CompiledQuery = jmespath.compile(expression)
    except (JMESPathError, RecursionError) as exc:
        raise _invalid(exc) from exc
    return compiled


def search(expression: str, document: object) -> object:
    """``expression`` applied to ``document``; an expression that fails on it (an unknown function,
    the wrong number or type of arguments) is a usage error too, with JMESPath's message."""
    from jmespath.exceptions import JMESPathError

    compiled = compile_query(expression)
    try:
        return compiled.search(document)
    except (JMESPathError, RecursionError) as exc:
        raise _invalid(exc) from exc


def _invalid(exc: BaseException) -> BedrockProfileError:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, RecursionError):
        message = "the expression is nested too deeply"
    return BedrockProfileError(ExitCode.USAGE, f"invalid --query: {message[:300]}")
