"""The time-plan path (time expressions → milestones) against an earlier commit, same run.

    python benchmarks/bench_timeplans.py [--baseline 3a04bb0] [--rows 300] [--repeat 15]

Loads xlgoals/timeexpr.py and xlgoals/milestones.py as they were at `--baseline` (via
`git show`) next to the current ones, runs both on the same inputs, checks that every output
is identical and prints the median time of each, taking turns, and the ratio:

* refresh: the milestones of every action goal of a `--rows`-row matrix built like
  benchmarks/bench_refresh_command.py does (read once; `goal_milestones` per goal, the work
  `attach_milestones` does in a refresh);
* gold: `parse_time` on every expression of tests/data/time_gold.tsv with its reference;
* criteria: `find_periods` on every success criterion of tests/data/criteria_gold.json (the
  criteria reader asks it for deadlines), reference 1 January 2026.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_refresh_command  # noqa: E402
from git_baseline import source_at  # noqa: E402

from xlgoals import matrix, milestones, timeexpr  # noqa: E402
from xlgoals.reader import read_workbook  # noqa: E402

PACKAGE = "xlgoals_baseline"


def load_baseline(commit: str, folder: Path) -> tuple[ModuleType, ModuleType]:
    """timeexpr and milestones as of `commit`, importable as `xlgoals_baseline.*`."""
    package = folder / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", "utf-8")
    for name in ("timeexpr", "milestones"):
        source = source_at(commit, f"xlgoals/{name}.py")
        source = source.replace("from xlgoals.timeexpr import", f"from {PACKAGE}.timeexpr import")
        (package / f"{name}.py").write_text(source, "utf-8")
    sys.path.insert(0, str(folder))
    return (
        importlib.import_module(f"{PACKAGE}.timeexpr"),
        importlib.import_module(f"{PACKAGE}.milestones"),
    )


def timed(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median seconds of each callable, the callables taking turns."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def parse_dump(parsed: Any) -> dict[str, Any]:
    return {
        "due": parsed.due,
        "kind": parsed.kind,
        "periods": [q.model_dump(mode="json") for q in parsed.periods],
        "undatable": list(parsed.undatable),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="3a04bb0", help="commit to compare with")
    parser.add_argument("--rows", type=int, default=300, help="action goals in the matrix")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on any difference (for speed work)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base_time, base_milestones = load_baseline(args.baseline, folder)
        book = folder / "matrix.xlsx"
        bench_refresh_command.build(book, args.rows)
        grid = read_workbook(book)
        plan = matrix.read_plan(grid)
        goals = plan.action_goals()

        def refresh(module: ModuleType) -> Callable[[], list[Any]]:
            return lambda: [module.goal_milestones(g, grid, plan.plan_year) for g in goals]

        with (ROOT / "tests/data/time_gold.tsv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        gold = [
            (row["text"], dt.date.fromisoformat(row["reference"]) if row["reference"] else None)
            for row in rows
        ]

        def parse_all(module: ModuleType) -> Callable[[], list[Any]]:
            return lambda: [module.parse_time(text, reference) for text, reference in gold]

        criteria = [
            item["text"]
            for item in json.loads((ROOT / "tests/data/criteria_gold.json").read_text("utf-8"))[
                "items"
            ]
        ]
        start = dt.date(2026, 1, 1)

        def periods_all(module: ModuleType) -> Callable[[], list[Any]]:
            return lambda: [module.find_periods(text, start) for text in criteria]

        workloads = {
            f"refresh ({len(goals)} time plans)": (refresh(base_milestones), refresh(milestones)),
            f"gold ({len(gold)} parse_time)": (parse_all(base_time), parse_all(timeexpr)),
            f"criteria ({len(criteria)} texts)": (
                periods_all(base_time),
                periods_all(timeexpr),
            ),
        }
        print(f"baseline {args.baseline} vs working tree; median of {args.repeat} runs\n")
        print(f"{'workload':<28}{'baseline':>10}{'current':>10}{'speed-up':>10}  outputs")
        for name, (old, new) in workloads.items():
            old_out, new_out = old(), new()  # warm-up and the outputs to compare
            if not name.startswith("gold"):  # lists of models (milestones, periods)
                pairs = [
                    ([m.model_dump(mode="json") for m in a], [m.model_dump(mode="json") for m in b])
                    for a, b in zip(old_out, new_out, strict=True)
                ]
                count = sum(len(ms) for ms in new_out)
            else:
                pairs = [
                    (parse_dump(a), parse_dump(b)) for a, b in zip(old_out, new_out, strict=True)
                ]
                count = len(new_out)
            differ = sum(1 for a, b in pairs if a != b)
            same = not differ
            medians = timed({"old": old, "new": new}, args.repeat)
            # accuracy rounds since the baseline change some results on purpose
            verdict = f"identical ({count})" if same else f"{differ} of {len(pairs)} differ"
            print(
                f"{name:<28}{medians['old'] * 1000:>8.1f}ms{medians['new'] * 1000:>8.1f}ms"
                f"{medians['old'] / medians['new']:>9.2f}×  {verdict}"
            )
            if not same and args.strict:
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
