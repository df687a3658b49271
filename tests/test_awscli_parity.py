"""Scripts can switch from the AWS CLI: our JSON parses equal to `aws bedrock get-inference-profile`'s."""

import json
import os
import subprocess

import pytest

from tests.conftest import SONNET, aws_cli, run_cli

FM = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"


@pytest.mark.parametrize("kind", ["system", "application"])
def test_json_parses_equal_to_the_aws_cli(emulator, bedrock, isolated_env, kind) -> None:
    if kind == "system":
        identifier = SONNET
    else:
        identifier = bedrock.create_inference_profile(
            inferenceProfileName="parity", modelSource={"copyFrom": FM}, description="d"
        )["inferenceProfileArn"]
    config = isolated_env / "aws-config"
    config.write_text("[default]\ncli_timestamp_format = iso8601\n")
    proc = subprocess.run(
        [
            aws_cli(),
            "bedrock",
            "get-inference-profile",
            "--inference-profile-identifier",
            identifier,
            "--endpoint-url",
            emulator.url,
            "--output",
            "json",
            "--region",
            "us-east-1",
        ],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    ours = run_cli("get", identifier, "-o", "json")
    assert ours.code == 0, ours.err
    assert json.loads(ours.out) == json.loads(proc.stdout)
