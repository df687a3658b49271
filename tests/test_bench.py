"""The benchmark script runs (one tiny case); its numbers are read by people, never asserted here."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_one_tiny_case() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--runs",
            "1",
            "--only",
            "version",
            "--no-install",
            "--report-only",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr  # --report-only: a missed target is not a failure here
    assert "version " in proc.stdout
    assert "ratio" in proc.stdout
    assert "target <= 0.25" in proc.stdout
    assert "| version | bedrock-profile --version | aws --version |" in proc.stdout
