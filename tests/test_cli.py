"""The command surface, in process through main() (the real error boundary), on the served emulator."""

import json

import yaml

from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import ExitCode, exit_code_table_text
from tests.conftest import SONNET

FM = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0"  # listed in eu-west-1


def test_version_and_help(invoke) -> None:
    import platform

    import botocore

    from bedrock_profile_cli import __version__

    expected = (
        f"bedrock-profile {__version__} botocore/{botocore.__version__} Python/{platform.python_version()} "
        f"{platform.system()}/{platform.release()}\n"
    )
    assert invoke("--version").out == expected
    help_text = invoke("--help").out
    for line in exit_code_table_text().splitlines():
        assert line.split()[0] in help_text
        assert line.split()[1] in help_text
    get_help = invoke("get", "--help").out
    for flag in ("--profile", "--region", "--endpoint-url", "--output", "--color", "--debug", "--emulator"):
        assert flag in get_help


def test_get_json_by_default_when_not_a_terminal(invoke, emulator) -> None:
    result = invoke("get", SONNET)
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["inferenceProfileId"] == SONNET
    assert "ResponseMetadata" not in doc
    assert doc["createdAt"].endswith("+00:00")
    assert result.err == ""


def test_output_env_sets_the_default_and_flag_wins(invoke, emulator, monkeypatch) -> None:
    monkeypatch.setenv("BEDROCK_PROFILE_OUTPUT", "yaml")
    assert yaml.safe_load(invoke("get", SONNET).out)["inferenceProfileId"] == SONNET
    assert json.loads(invoke("get", SONNET, "-o", "json").out)["status"] == "ACTIVE"
    table = invoke("get", SONNET, "--output", "table").out
    assert "│ Status" in table
    assert "ACTIVE" in table
    assert "\x1b" not in table


def test_bad_output_value_is_a_usage_error(invoke, emulator, monkeypatch) -> None:
    result = invoke("get", SONNET, "-o", "xml")
    assert result.code == ExitCode.USAGE
    assert "xml" in result.err
    monkeypatch.setenv("BEDROCK_PROFILE_OUTPUT", "xml")
    assert invoke("get", SONNET).code == ExitCode.USAGE


def test_options_are_accepted_after_the_identifiers(invoke, emulator) -> None:
    result = invoke("get", "eu.meta.llama3-2-1b-instruct-v1:0", "-o", "json", "-r", "eu-west-1")
    assert result.code == 0, result.err
    assert json.loads(result.out)["inferenceProfileArn"].startswith("arn:aws:bedrock:eu-west-1:")


def test_arn_is_looked_up_in_its_own_region(invoke, emulator) -> None:
    import boto3

    west = boto3.client("bedrock", region_name="eu-west-1", endpoint_url=emulator.url)
    arn = west.create_inference_profile(inferenceProfileName="eu-app", modelSource={"copyFrom": FM})[
        "inferenceProfileArn"
    ]
    result = invoke("get", arn)  # AWS_REGION is us-east-1
    assert result.code == 0, result.err
    assert json.loads(result.out)["inferenceProfileArn"] == arn
    app_id = arn.rsplit("/", 1)[1]
    missing = invoke("get", app_id)  # an ID has no region: the default (us-east-1) is asked
    assert missing.code == ExitCode.NOT_FOUND
    assert "region us-east-1" in missing.err


def test_explicit_region_wins_over_the_arn_with_a_warning(invoke, emulator) -> None:
    arn = f"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/{SONNET}"
    result = invoke("get", arn, "--region", "us-east-1")
    assert result.code == ExitCode.NOT_FOUND
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "differs from the ARN's region eu-west-1" in warnings[0]


def test_several_identifiers_print_in_order_and_failures_go_to_stderr(invoke, emulator) -> None:
    ids = ["us.amazon.nova-pro-v1:0", "does-not-exist", SONNET, "also-missing"]
    result = invoke("get", *ids)
    assert result.code == ExitCode.NOT_FOUND
    docs = json.loads(result.out)
    assert [d["inferenceProfileId"] for d in docs] == ["us.amazon.nova-pro-v1:0", SONNET]
    errors = result.err.strip().splitlines()
    assert len(errors) == 2
    assert "does-not-exist" in errors[0]
    assert "also-missing" in errors[1]


def test_exit_code_is_the_first_failure_in_argument_order(invoke, emulator) -> None:
    inject_fault(
        operation="GetInferenceProfile", status=403, code="AccessDeniedException", message="no", times=1
    )
    # Sequence the calls: with one identifier per run, the fault hits exactly that run.
    assert invoke("get", SONNET).code == ExitCode.ACCESS_DENIED
    result = invoke("get", SONNET, "missing-one", "us.amazon.nova-pro-v1:0")
    assert result.code == ExitCode.NOT_FOUND
    assert len(json.loads(result.out)) == 2


def test_several_yaml_is_a_list_and_tables_one_each(invoke, emulator) -> None:
    assert len(yaml.safe_load(invoke("get", SONNET, "us.amazon.nova-pro-v1:0", "-o", "yaml").out)) == 2
    assert invoke("get", SONNET, "us.amazon.nova-pro-v1:0", "-o", "table").out.count("╭") == 2


def test_all_failed_with_several_prints_an_empty_array(invoke, emulator) -> None:
    result = invoke("get", "missing-a", "missing-b")
    assert result.code == ExitCode.NOT_FOUND
    assert json.loads(result.out) == []


def test_invalid_identifier_sends_nothing(invoke, emulator, faults) -> None:
    result = invoke("get", SONNET, "bad id", "../x")
    assert result.code == ExitCode.VALIDATION
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 2
    assert "bad id" in lines[0]
    assert "character ' ' at position 4" in lines[0]
    assert "../x" in lines[1]
    assert faults.calls.get("GetInferenceProfile", 0) == 0


def test_empty_identifier_is_a_usage_error(invoke, emulator, faults) -> None:
    result = invoke("get", "")
    assert result.code == ExitCode.USAGE
    assert "empty" in result.err
    assert faults.calls.get("GetInferenceProfile", 0) == 0


def test_emulator_switch_runs_in_process_without_credentials(invoke, monkeypatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_PROFILE", "does-not-exist")
    result = invoke("get", "--emulator", SONNET, "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["inferenceProfileId"] == SONNET
    monkeypatch.setenv("BEDROCK_PROFILE_EMULATOR", "1")
    assert invoke("get", "global.anthropic.claude-sonnet-4-20250514-v1:0", "-r", "us-west-2").code == 0


def test_color_flags_on_table_output(invoke, emulator, monkeypatch) -> None:
    assert "\x1b[" in invoke("get", SONNET, "-o", "table", "--color", "always").out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in invoke("get", SONNET, "-o", "table").out
    assert "\x1b[" not in invoke("get", SONNET, "-o", "table", "--color", "never").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in invoke("get", SONNET, "-o", "table").out
    # JSON never carries colour
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b" not in invoke("get", SONNET, "-o", "json", "--color", "always").out


def test_error_lines_colour_only_when_asked(invoke, emulator) -> None:
    assert "\x1b" not in invoke("get", "missing").err
    assert "\x1b[1;31merror" in invoke("get", "missing", "--color", "always").err


def test_internal_error_is_one_line_and_traceback_only_with_debug(invoke, emulator, monkeypatch) -> None:
    import bedrock_profile_cli.output as output

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(output, "emit", boom)
    result = invoke("get", SONNET)
    assert result.code == ExitCode.INTERNAL
    assert result.err.count("\n") == 1
    assert "internal error: RuntimeError: kaboom" in result.err
    debug = invoke("get", SONNET, "--debug")
    assert debug.code == ExitCode.INTERNAL
    assert "Traceback (most recent call last)" in debug.err
    assert "kaboom" in debug.err


def test_ctrl_c_inside_a_command_is_130_with_one_line(invoke, emulator, monkeypatch) -> None:
    from bedrock_profile_cli.aws.operations import Bedrock

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Bedrock, "fetch_in_order", interrupted)
    result = invoke("get", SONNET)
    assert result.code == ExitCode.INTERRUPTED
    assert result.err == "bedrock-profile: interrupted\n"


def test_emulator_without_moto_says_how_to_install(invoke, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "moto", None)  # import moto -> ImportError
    result = invoke("get", "--emulator", SONNET)
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG
    for route in (
        "pip install 'bedrock-profile[emulator]'",  # from an index
        "pip install -e '.[emulator]'",  # a checkout
        "pipx inject bedrock-profile",
        "uv tool install --reinstall 'SOURCE[emulator]'",
    ):
        assert route in result.err
    assert invoke("emulator").code == ExitCode.CREDENTIALS_OR_CONFIG


def test_ctrl_c_while_the_arguments_are_parsed_is_said_too(invoke, monkeypatch) -> None:
    # typer turns it into a silent exit 130; the program says it, as for any interruption.
    import typer.core

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.core.TyperGroup, "make_context", interrupted)
    result = invoke("get", SONNET)
    assert result.code == ExitCode.INTERRUPTED
    assert result.err == "bedrock-profile: interrupted\n"


def test_botocore_version_is_read_from_its_metadata_else_its_source(tmp_path, monkeypatch) -> None:
    import importlib.metadata
    import importlib.util
    from types import SimpleNamespace

    from bedrock_profile_cli import app

    assert app._botocore_version() == importlib.metadata.version("botocore")
    package = tmp_path / "botocore"
    package.mkdir()
    (package / "__init__.py").write_text("__version__ = '1.0.0'\n")
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: SimpleNamespace(origin=str(package / "__init__.py"))
    )
    assert app._botocore_version() == "1.0.0"
    (tmp_path / "botocore-2.0.0.dist-info").mkdir()
    (tmp_path / "botocore-2.0.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: botocore\nVersion: 2.0.0\n\nVersion: not a header\n"
    )
    assert app._botocore_version() == "2.0.0"
