"""The benchmark script runs (one tiny case); its numbers are read by people, never asserted here."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_one_tiny_case() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--runs", "1", "--only", "version", "--no-install"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr  # 1 = a target missed on a noisy machine
    assert "version " in proc.stdout and "ratio" in proc.stdout and "target <= 0.35" in proc.stdout
    assert "| version | bedrock-profile --version | aws --version |" in proc.stdout
