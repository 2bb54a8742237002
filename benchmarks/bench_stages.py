"""The stages of a first refresh, this tree against a baseline commit, in the same run.

Each workbook (300 rows of distinct real criteria and time plans, from
`bench_refresh_command.build`, a new offset per repeat) is refreshed by a fresh Python
process of each version in turn, after a warm-up refresh of another workbook in the same
process (so data files and compiled patterns are ready, as in the add-in). Prints the
median milliseconds of each stage and the ratio; the outputs of the two versions are
compared by the owned cells and sheets they produce (`--strict` stops when they differ:
speed work changes no result, accuracy work may).

    python benchmarks/bench_stages.py [--baseline 3a04bb0] [--rows 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_refresh_command import build  # noqa: E402

STAGES = ("read", "read_plan", "analyse", "rollup", "owned_updates", "write")

# Runs inside each version's process: times the stages through the public API that both
# versions share, and prints them with a digest of the owned output as JSON.
PROBE = """
import datetime as dt, hashlib, json, sys, time
from xlgoals.engine import analyse, owned_updates
from xlgoals.matrix import read_plan
from xlgoals.reader import read_workbook
from xlgoals.refresh import owned_sheets, refresh_file
from xlgoals.xlsxpatch import patch_workbook

today = dt.date(2026, 11, 1)
refresh_file(sys.argv[1], today=today)
path = sys.argv[2]
times = {}
t = time.perf_counter(); grid = read_workbook(path); times["read"] = time.perf_counter() - t
t = time.perf_counter(); read_plan(grid); times["read_plan"] = time.perf_counter() - t
t = time.perf_counter(); analysis = analyse(grid, today=today)
times["analyse"] = time.perf_counter() - t
t = time.perf_counter(); analysis.rollup; times["rollup"] = time.perf_counter() - t
t = time.perf_counter(); updates = owned_updates(grid, analysis)
times["owned_updates"] = time.perf_counter() - t
t = time.perf_counter()
patch_workbook(path, cells=updates.cells, sheets=owned_sheets(updates))
times["write"] = time.perf_counter() - t
owned = json.dumps([updates.cells, updates.sheets], default=str, sort_keys=True)
print(json.dumps({"times": times, "digest": hashlib.sha256(owned.encode()).hexdigest()}))
"""


def baseline_tree(commit: str, folder: Path) -> Path:
    """The `xlgoals` package as it was at `commit`, unpacked under `folder`."""
    archive = subprocess.run(
        ["git", "archive", commit, "xlgoals"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def run(tree: Path, warm: Path, workbook: Path) -> dict:
    """One first refresh of `workbook` by the version in `tree`, in a new process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(warm), str(workbook)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="3a04bb0")
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--strict", action="store_true", help="stop when the owned output differs (speed work)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {args.baseline: baseline_tree(args.baseline, folder / "base"), "now": ROOT}
        times: dict[str, dict[str, list[float]]] = {
            name: {stage: [] for stage in STAGES} for name in trees
        }
        differ = 0
        for index in range(args.repeat):
            source = folder / f"m{index}.xlsx"
            build(source, args.rows, offset=index)
            digests = set()
            for name, tree in trees.items():
                warm, copy = folder / "warm.xlsx", folder / f"{name}.xlsx"
                build(warm, 30, offset=99)
                copy.write_bytes(source.read_bytes())
                result = run(tree, warm, copy)
                digests.add(result["digest"])
                for stage in STAGES:
                    times[name][stage].append(result["times"][stage])
            if len(digests) != 1 and args.strict:
                raise SystemExit(f"workbook {index}: the versions wrote different owned cells")
            differ += len(digests) != 1
        base, now = args.baseline, "now"
        # accuracy work since the baseline may change results on purpose
        same = "identical owned output" if not differ else f"owned output differs in {differ}"
        print(f"{args.rows} rows, {args.repeat} workbooks, {same}")
        print(f"{'stage':<15} {base:>10} {'now':>10} {'speed-up':>9}")
        for stage in STAGES:
            old = statistics.median(times[base][stage]) * 1000
            new = statistics.median(times[now][stage]) * 1000
            print(f"{stage:<15} {old:>8.1f}ms {new:>8.1f}ms {old / new:>8.2f}×")
        note = "analyse includes read_plan, time plans, criteria and rules; rollup is lazy"
        print(f"({note})")


if __name__ == "__main__":
    main()
