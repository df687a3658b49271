"""One source of truth per contract: README and --help are checked against the code."""

from pathlib import Path

import pytest

from bedrock_profile_cli.errors import (
    AWS_ERROR_EXIT_CODES,
    EXIT_CODE_MEANINGS,
    BedrockProfileError,
    ExitCode,
    exit_code_for_aws_error,
    exit_code_table_markdown,
)
from bedrock_profile_cli.settings import ENVIRONMENT, environment_table_markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_carries_the_exit_code_table_from_code() -> None:
    assert exit_code_table_markdown() in README
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)


def test_readme_carries_every_environment_variable() -> None:
    assert environment_table_markdown() in README
    for name in ENVIRONMENT:
        assert f"`{name}`" in README


def test_readme_documents_every_flag_of_get(invoke) -> None:
    help_text = invoke("get", "--help").out
    for flag in ("--profile", "--region", "--endpoint-url", "--output", "--color", "--debug", "--emulator"):
        assert flag in help_text
        assert f"`{flag}" in README or f"`-p`, `{flag}" in README or f"{flag} " in README


def test_ci_runs_exactly_the_readme_test_command() -> None:
    if not (ROOT / ".ci" / "run").exists():
        pytest.skip("no .ci/run: this is the sdist, not a checkout")
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == "python -m pytest -q"
    assert "\npython -m pytest -q\n" in README


def test_documented_service_exceptions_have_their_own_codes() -> None:
    expected = {
        "ResourceNotFoundException": 4,
        "AccessDeniedException": 5,
        "ValidationException": 6,
        "InternalServerException": 7,
        "ThrottlingException": 8,
    }
    for code, exit_code in expected.items():
        assert exit_code_for_aws_error(code) == exit_code
    assert exit_code_for_aws_error("BrandNewException") == ExitCode.SERVICE
    assert all(v != ExitCode.SERVICE for v in AWS_ERROR_EXIT_CODES.values())


def test_error_line_is_one_safe_line() -> None:
    err = BedrockProfileError(
        ExitCode.THROTTLED,
        "Rate exceeded\n\x1b[2Jagain.",
        aws_code="ThrottlingException",
        request_id="req-1",
        identifier="x",
        attempts=3,
        hint="wait",
    )
    line = err.line()
    assert "\n" not in line
    assert "\x1b" not in line
    assert (
        line
        == "x: ThrottlingException: Rate exceeded\\x0a\\x1b[2Jagain (after 3 attempts, request ID req-1); hint: wait"
    )


def test_profile_types_and_statuses_are_botocores() -> None:
    import botocore.session

    from bedrock_profile_cli.settings import PROFILE_STATUSES, PROFILE_TYPES

    model = botocore.session.get_session().get_service_model("bedrock")
    assert set(PROFILE_TYPES) == set(model.shape_for("InferenceProfileType").enum)
    assert set(PROFILE_STATUSES) == set(model.shape_for("InferenceProfileStatus").enum)


def test_architecture_section_names_only_modules_that_exist() -> None:
    import re

    section = README.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    package = ROOT / "bedrock_profile_cli"
    named = set(re.findall(r"([a-z_]+(?:/[a-z_<>]+)?\.py)", section))
    assert named, "the section names no module"
    existing = {str(path.relative_to(package)) for path in package.rglob("*.py")}
    basenames = {path.name for path in package.rglob("*.py")}
    for name in named:
        if "<" in name:  # commands/<name>.py: the pattern, not a file
            continue
        assert name in existing or name in basenames or (ROOT / name).exists(), name


def test_every_registered_command_is_documented() -> None:
    from bedrock_profile_cli.commands import COMMANDS

    for module in COMMANDS:
        assert f"`bedrock-profile {module.NAME}" in README, module.NAME


def test_the_entry_points_early_exit_codes_are_the_tables() -> None:
    from bedrock_profile_cli import cli
    from bedrock_profile_cli.settings import PROG

    assert cli.INTERRUPTED == ExitCode.INTERRUPTED
    assert cli._prog() == PROG


def test_the_repository_address_is_one_address() -> None:
    """pyproject's URLs are the single source of the repository's address; README's git install,
    workflow and Action lines name the same repository."""
    import re

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    home = urls["Homepage"]
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/bedrock-profile", home)
    assert match, home
    assert urls["Issues"] == f"{home}/issues"
    assert urls["Changelog"] == f"{home}/blob/main/CHANGELOG.md"
    assert (ROOT / "CHANGELOG.md").exists()
    owner = match.group(1)
    named = re.findall(r"github\.com/([\w.-]+)/bedrock-profile", README)
    named += re.findall(r"uses: ([\w.-]+)/bedrock-profile@", README)
    assert len(named) >= 3
    assert set(named) == {owner}
