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
    except JMESPathError as exc:
        message = " ".join(str(exc).split())
        raise BedrockProfileError(ExitCode.USAGE, f"invalid --query: {message}") from exc
    return compiled
