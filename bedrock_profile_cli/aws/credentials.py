"""Credential providers, as botocore runs them, with what it leaves raw made into exit 9 and a hint.

botocore's chain is used as it is (environment, shared files, credential_process, SSO, assume-role,
web identity, container, IMDS); this module only changes how two of its providers behave when they
fail: ``credential_process`` (no orphan on Ctrl-C, no stderr quoted, a missing command or non-JSON
output named) and the MFA prompt of assume-role (no prompt without a terminal).  Both hooks touch a
botocore internal and leave it alone when botocore changes shape.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode


def _process_error(message: str) -> Exception:
    from botocore.exceptions import CredentialRetrievalError

    error: Exception = CredentialRetrievalError(provider="custom-process", error_msg=message)
    return error


class CredentialProcess(subprocess.Popen):  # type: ignore[type-arg]
    """The ``credential_process`` child that botocore's ProcessProvider starts, with what botocore
    leaves raw turned into its CredentialRetrievalError, and no orphan: on Ctrl-C,
    Popen.communicate re-raises KeyboardInterrupt with the child still running."""

    def __init__(self, args: list[str], **kwargs: Any) -> None:
        try:
            super().__init__(args, **kwargs)
        except OSError as exc:  # a missing or non-executable command: raw FileNotFoundError otherwise
            raise _process_error(f"credential_process could not be run: {args[0]}: {exc.strerror}") from exc

    def communicate(self, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
        try:
            stdout, stderr = super().communicate(*args, **kwargs)
        except BaseException:  # KeyboardInterrupt
            self.kill()
            self.wait()
            raise
        if self.returncode != 0:  # botocore's message would quote stderr, which may hold a secret
            raise _process_error(f"credential_process exited with status {self.returncode}")
        try:
            json.loads(stdout)
        except ValueError:  # a raw JSONDecodeError otherwise
            raise _process_error("credential_process printed something that is not JSON") from None
        return stdout, stderr


def use_credential_process_popen() -> None:
    """Make botocore's ProcessProvider start :class:`CredentialProcess` (its ``popen`` argument,
    which botocore never passes, so its default; left alone if botocore changes it)."""
    from botocore.credentials import ProcessProvider

    init = ProcessProvider.__init__
    defaults = init.__defaults__ or ()
    if defaults and defaults[-1] is subprocess.Popen:
        init.__defaults__ = (*defaults[:-1], CredentialProcess)


def no_mfa_prompt_without_a_terminal(session: Any) -> None:
    """botocore asks for an assume-role profile's MFA code (``mfa_serial``) with getpass, which
    without a terminal falls back to reading stdin (a warning, then EOFError or a hang on a pipe):
    when stdin is not a terminal, fail with exit 9 and a hint instead of prompting."""
    import getpass

    try:
        provider = session.get_component("credential_provider").get_provider("assume-role")
    except Exception:  # no such provider: nothing to prompt for
        return
    if not hasattr(provider, "_prompter"):  # botocore changed: leave its prompt alone
        return
    name = session.profile or "default"

    def prompt(text: str) -> str:
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(text)
        raise BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            f"profile {name!r} assumes a role with an MFA device (mfa_serial), and stdin is not a "
            "terminal to type the code in",
            hint="run it in a terminal, or export the role's temporary credentials (AWS_ACCESS_KEY_ID "
            "& co., from `aws sts assume-role --serial-number ... --token-code ...`) and drop the profile",
        )

    provider._prompter = prompt


def profiles_hint(available: list[str]) -> str:
    """The hint for an unknown profile: the profiles the config and credentials files define."""
    names = sorted(available)
    if not names:
        return "no profiles are defined in the AWS config or credentials file; run `aws configure`"
    shown = ", ".join(names[:20]) + (f", and {len(names) - 20} more" if len(names) > 20 else "")
    return f"profiles found in the AWS config and credentials files (aws configure list-profiles): {shown}"
