"""--help and --version must not pay for boto3 (or yaml, moto, rich): measured by what gets imported."""

import subprocess
import sys

import pytest

HEAVY = ("boto3", "botocore", "yaml", "moto", "rich", "jmespath", "pydantic")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["get", "--help"], ["emulator", "--help"]])
def test_light_paths_import_nothing_heavy(args: list[str]) -> None:
    script = (
        "import sys\n"
        "from bedrock_profile_cli.cli import main\n"
        f"code = main({args!r})\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY:"
