#!/usr/bin/env python3
"""Benchmarks of bedrock-profile against the AWS CLI and a minimal boto3 script, run by hand.

Whole-process wall time (median of repeated runs, A/B interleaved) and peak RSS, against the
built-in emulator served on loopback.  Prints one row per comparison with its ratio and target;
``--write-readme`` records the table in bench/README.md with the machine it ran on.

    python bench/run.py                 # every row, 15 runs each
    python bench/run.py --runs 5 --only get-vs-aws version
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PROFILE_ID = "us.amazon.nova-pro-v1:0"
MODEL_ID = "anthropic.claude-sonnet-4-6"  # for resolve
REGION = "us-east-1"
# ListInferenceProfiles page size of the emulator behind the multi-region rows: the live service
# returns every profile of a region (up to ~70) in one page when no maxResults is given.
FULL_PAGE = 1000
CREATE_TAGGED = """
import json, sys
import boto3
client = boto3.client("bedrock", endpoint_url=sys.argv[1])
source = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0"
arns = [
    client.create_inference_profile(
        inferenceProfileName=f"bench-{i}",
        modelSource={"copyFrom": source},
        tags=[{"key": "team", "value": "ml"}, {"key": "cost-center", "value": "42"}],
    )["inferenceProfileArn"]
    for i in range(int(sys.argv[2]))
]
print(json.dumps(arns))
"""
MINIMAL_BOTO3 = """
import json, sys
import boto3
client = boto3.client("bedrock")
response = client.get_inference_profile(inferenceProfileIdentifier=sys.argv[1])
response.pop("ResponseMetadata", None)
print(json.dumps(response, indent=2, default=str))
"""


@dataclass
class Sample:
    wall: float
    rss_kib: int


@dataclass
class Row:
    name: str
    a_label: str
    b_label: str
    a: list[str]
    b: list[str]
    target: float
    env_a: dict[str, str] = field(default_factory=dict)
    env_b: dict[str, str] = field(default_factory=dict)
    b_repeat: int = 1  # B is this many invocations in a row (50 AWS CLI calls)
    metric: str = "wall"  # or "rss"
    runs: int | None = None
    warmup: bool = False  # one unmeasured run of each side first (caches, the emulator's stores)


def measure(cmd: list[str], env: dict[str, str], repeat: int = 1) -> Sample:
    """Wall time of ``repeat`` sequential runs of ``cmd``, and the largest peak RSS among them."""
    started = time.perf_counter()
    peak = 0
    for _ in range(repeat):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode != 0:
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
        peak = max(peak, usage.ru_maxrss)
    return Sample(time.perf_counter() - started, peak)


def find_aws(install: bool) -> str:
    """The AWS CLI v1 beside this Python, on PATH, or installed into a throwaway venv."""
    for candidate in (os.environ.get("BEDROCK_PROFILE_TEST_AWS_CLI"), BIN / "aws", shutil.which("aws")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    target = HERE / ".venv-awscli"
    aws = target / "bin" / "aws"
    if not aws.exists():
        if not install:
            raise SystemExit(
                "no AWS CLI found; run without --no-install to install one in bench/.venv-awscli"
            )
        print(f"installing the AWS CLI (v1, pip install awscli) into {target} ...", file=sys.stderr)
        venv.create(target, with_pip=True)
        subprocess.run([str(target / "bin" / "pip"), "install", "-q", "awscli"], check=True)
    return str(aws)


class Emulator:
    def __init__(self, latency_ms: int = 0, page_size: int | None = None) -> None:
        cmd = [str(BIN / "bedrock-profile"), "emulator", "--port", "0", "--latency", str(latency_ms)]
        if page_size is not None:
            cmd += ["--page-size", str(page_size)]
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("AWS_ENDPOINT_URL_BEDROCK="):
            raise SystemExit(f"the emulator did not start: {line!r}")
        self.url = line.split("=", 1)[1]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


TABLE_HEAD = ["| row | A | B | A | B | ratio | target | |", "|---|---|---|---|---|---|---|---|"]
RESULTS = re.compile(r"<!-- results -->\n(.*?)<!-- /results -->", re.S)


def recorded(text: str, lines: dict[str, str], when: str, *, partial: bool) -> str:
    """``text`` (bench/README.md) with the results block recording ``lines`` (a table row per row
    name).  A partial run (``--only``) replaces only its own rows, adds new ones at the end and
    notes when they ran; the other rows and their note stay as recorded."""
    found = RESULTS.search(text)
    if found is None:
        return text
    if partial:
        notes, kept = [], {}
        for line in found.group(1).splitlines():
            name = line.split("|")[1].strip() if line.startswith("| ") else ""
            if name and name != "row":
                kept[name] = line
            elif line and not line.startswith("|"):
                notes.append(line)
        names = ", ".join(f"`{name}`" for name in lines)
        notes.append(f"Rows {names}: {when} (medians).")
        rows = [lines.get(name, line) for name, line in kept.items()]
        rows += [line for name, line in lines.items() if name not in kept]
    else:
        notes = [f"Last run: {when} (medians; B of `get-50-vs-aws` is 50 invocations in a row, 3 runs)."]
        rows = list(lines.values())
    block = "\n\n".join(notes) + "\n\n" + "\n".join([*TABLE_HEAD, *rows]) + "\n"
    return text[: found.start(1)] + block + text[found.end(1) :]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="runs per side per row (default 15)")
    parser.add_argument("--only", nargs="*", help="row names to run")
    parser.add_argument("--no-install", action="store_true", help="never install the AWS CLI")
    parser.add_argument("--write-readme", action="store_true", help="record the table in bench/README.md")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="exit 0 even when a ratio misses its target (exit 1 otherwise, for a gate)",
    )
    args = parser.parse_args()

    ours = str(BIN / "bedrock-profile")
    aws = find_aws(install=not args.no_install)
    scratch = Path(tempfile.mkdtemp(prefix="bedrock-profile-bench-"))
    (scratch / "config").write_text("[default]\nregion = us-east-1\n")
    minimal = scratch / "minimal_boto3.py"
    minimal.write_text(MINIMAL_BOTO3)
    base_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(scratch),
        "XDG_CACHE_HOME": str(scratch / "cache"),
        "AWS_CONFIG_FILE": str(scratch / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "credentials"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "LANG": "C.UTF-8",
    }
    emulators: list[Emulator] = []
    try:
        for latency, page_size in ((0, None), (50, None), (50, FULL_PAGE)):
            emulators.append(Emulator(latency, page_size))
        fast, slow, full = emulators
        fast_env = {**base_env, "AWS_ENDPOINT_URL_BEDROCK": fast.url}
        slow_env = {**base_env, "AWS_ENDPOINT_URL_BEDROCK": slow.url}
        full_env = {**base_env, "AWS_ENDPOINT_URL_BEDROCK": full.url}
        ids = [
            line
            for line in subprocess.run(
                [ours, "list", "--type", "SYSTEM_DEFINED", "-q", "[].inferenceProfileId", "-o", "text"],
                env=fast_env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        ]
        fifty = [ids[i % len(ids)] for i in range(50)]
        # 50 application profiles with two tags each, on the 50 ms emulator (get-tags-50 only).
        applications: list[str] = []
        if not args.only or "get-tags-50" in args.only:
            applications = json.loads(
                subprocess.run(
                    [sys.executable, "-c", CREATE_TAGGED, slow.url, "50"],
                    env=slow_env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
        get_one = [ours, "get", PROFILE_ID, "-o", "json"]
        resolve_all = [ours, "resolve", MODEL_ID, "--all-regions", "-o", "json"]
        list_all = [ours, "list", "--all-regions", "-o", "json"]
        aws_get = [aws, "bedrock", "get-inference-profile", "--inference-profile-identifier", PROFILE_ID]
        complete = {
            **fast_env,
            "_BEDROCK_PROFILE_COMPLETE": "complete_bash",
            "COMP_WORDS": "bedrock-profile get --region us",
            "COMP_CWORD": "3",
        }
        rows = [
            Row(
                "get-vs-aws",
                "bedrock-profile get -o json",
                "aws bedrock get-inference-profile",
                get_one,
                aws_get,
                0.5,
                fast_env,
                fast_env,
            ),
            Row(
                "get-vs-boto3",
                "bedrock-profile get -o json",
                "minimal boto3 script",
                get_one,
                [sys.executable, str(minimal), PROFILE_ID],
                0.8,
                fast_env,
                fast_env,
            ),
            Row(
                "emulator",
                "get --emulator (in process)",
                "get (served emulator)",
                [ours, "get", "--emulator", PROFILE_ID, "-o", "json"],
                get_one,
                2.5,
                base_env,
                fast_env,
            ),
            Row(
                "help",
                "bedrock-profile --help",
                "aws --version",
                [ours, "--help"],
                [aws, "--version"],
                0.25,
                base_env,
                base_env,
            ),
            Row(
                "version",
                "bedrock-profile --version",
                "aws --version",
                [ours, "--version"],
                [aws, "--version"],
                0.25,
                base_env,
                base_env,
            ),
            Row(
                "completion",
                "bedrock-profile TAB (--region)",
                "aws --version",
                [ours],
                [aws, "--version"],
                0.25,
                complete,
                base_env,
            ),
            Row(
                "get-50",
                "get 50 IDs, 50 ms latency",
                "get 1 ID, 50 ms latency",
                [ours, "get", *fifty, "-o", "json"],
                get_one,
                3.0,
                slow_env,
                slow_env,
            ),
            Row(
                "get-50-vs-aws",
                "get 50 IDs, 50 ms latency",
                "50 aws invocations, 50 ms latency",
                [ours, "get", *fifty, "-o", "json"],
                aws_get,
                0.1,
                slow_env,
                slow_env,
                b_repeat=50,
                runs=3,
            ),
            Row(
                "memory",
                "peak RSS: bedrock-profile get",
                "peak RSS: aws get-inference-profile",
                get_one,
                aws_get,
                1.0,
                fast_env,
                fast_env,
                metric="rss",
            ),
            # Every Bedrock region of the partition (33; the emulator answers 18 and refuses the
            # others as opt-in regions not enabled), against one GetInferenceProfile, both at 50 ms
            # per request, the emulator sending whole pages as the live service does.
            Row(
                "resolve-all",
                "resolve M --all-regions, 50 ms latency",
                "get 1 ID, 50 ms latency",
                resolve_all,
                get_one,
                2.5,
                full_env,
                full_env,
                warmup=True,
            ),
            Row(
                "list-all",
                "list --all-regions, 50 ms latency",
                "get 1 ID, 50 ms latency",
                list_all,
                get_one,
                2.5,
                full_env,
                full_env,
                warmup=True,
            ),
            Row(
                "resolve-1",
                f"resolve M -r {REGION}, 50 ms latency",
                "get 1 ID, 50 ms latency",
                [ours, "resolve", MODEL_ID, "-r", REGION, "-o", "json"],
                get_one,
                1.5,
                full_env,
                full_env,
                warmup=True,
            ),
            Row(
                "memory-resolve-all",
                "peak RSS: resolve M --all-regions",
                "peak RSS: bedrock-profile get",
                resolve_all,
                get_one,
                1.5,
                full_env,
                full_env,
                metric="rss",
                warmup=True,
            ),
            Row(
                "memory-list-all",
                "peak RSS: list --all-regions",
                "peak RSS: bedrock-profile get",
                list_all,
                get_one,
                1.5,
                full_env,
                full_env,
                metric="rss",
                warmup=True,
            ),
            Row(
                "get-tags-50",
                "get 50 application profiles --tags, 50 ms latency",
                "the same get without --tags",
                [ours, "get", *applications, "--tags", "-o", "json"],
                [ours, "get", *applications, "-o", "json"],
                1.5,
                slow_env,
                slow_env,
            ),
        ]
        if args.only:
            rows = [r for r in rows if r.name in args.only]
        results = []
        for row in rows:
            runs = min(args.runs, row.runs) if row.runs else args.runs
            if row.warmup:
                measure(row.a, row.env_a)
                measure(row.b, row.env_b)
            a_samples, b_samples = [], []
            for i in range(runs):  # interleaved, alternating which side goes first
                pair = [(a_samples, row.a, row.env_a, 1), (b_samples, row.b, row.env_b, row.b_repeat)]
                for samples, cmd, env, repeat in pair if i % 2 == 0 else reversed(pair):
                    samples.append(measure(cmd, env, repeat))
            if row.metric == "rss":
                a_value = statistics.median(s.rss_kib for s in a_samples) / 1024
                b_value = statistics.median(s.rss_kib for s in b_samples) / 1024
                unit = "MiB"
            else:
                a_value = statistics.median(s.wall for s in a_samples) * 1000
                b_value = statistics.median(s.wall for s in b_samples) * 1000
                unit = "ms"
            ratio = a_value / b_value
            results.append((row, runs, a_value, b_value, unit, ratio))
            verdict = "ok" if ratio <= row.target else "MISSED"
            print(
                f"{row.name:<18} {a_value:8.1f} {unit} vs {b_value:8.1f} {unit}  "
                f"ratio {ratio:5.2f} (target <= {row.target:g})  {verdict}   "
                f"[{row.a_label} / {row.b_label}; median of {runs}]",
                flush=True,
            )
    finally:
        for emulator in emulators:
            emulator.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    lines: dict[str, str] = {}
    for row, _runs, a_value, b_value, unit, ratio in results:
        verdict = "ok" if ratio <= row.target else "missed"
        lines[row.name] = (
            f"| {row.name} | {row.a_label} | {row.b_label} | {a_value:.1f} {unit} | {b_value:.1f} {unit} "
            f"| {ratio:.2f} | <= {row.target:g} | {verdict} |"
        )
    print("\n" + "\n".join([*TABLE_HEAD, *lines.values()]))
    if args.write_readme:
        readme = HERE / "README.md"
        when = f"{dt.date.today().isoformat()}, {machine()}, {args.runs} runs per side"
        readme.write_text(recorded(readme.read_text(), lines, when, partial=bool(args.only)))
    if args.report_only:
        return 0
    return 0 if all(r[5] <= r[0].target for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
