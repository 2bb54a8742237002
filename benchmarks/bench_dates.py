"""xlgoals' Danish time expressions against dateparser on the gold set.

    python benchmarks/bench_dates.py            # accuracy side by side + throughput
    python benchmarks/bench_dates.py --misses   # also list dateparser's and xlgoals' misses

dateparser is configured as fairly as it allows: Danish only, day-month-year order,
missing day → last day of the month, missing month → last month of the year (so "2027"
can mean Dec 31 like the conventions), RELATIVE_BASE = the row's reference date and
PREFER_DATES_FROM = "future" when there is one, and REQUIRE_PARTS = ["year"] when there is
none (otherwise it silently fills in today's year, which the conventions forbid). It is
tried two ways: `parse` on the whole text, and `search.search_dates` taking the latest
date found (the conventions' "latest committed end").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlgoals.milestones import split_milestones  # noqa: E402
from xlgoals.timeexpr import parse_time  # noqa: E402

GOLD = ROOT / "tests" / "data" / "time_gold.tsv"


def load_gold() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        row["ref"] = dt.date.fromisoformat(row["reference"]) if row["reference"] else None
        row["due"] = dt.date.fromisoformat(row["expected_due"]) if row["expected_due"] else None
    return rows


def dateparser_settings(reference: dt.date | None) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "last",
        "PREFER_MONTH_OF_YEAR": "last",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(reference, dt.time())
        settings["PREFER_DATES_FROM"] = "future"
    else:
        settings["REQUIRE_PARTS"] = ["year"]
    return settings


def run_dateparser(rows: list[dict[str, Any]]) -> tuple[list[Any], list[Any], float]:
    import dateparser
    from dateparser.search import search_dates

    whole, searched = [], []
    start = time.perf_counter()
    for row in rows:
        settings = dateparser_settings(row["ref"])
        parsed = dateparser.parse(row["text"], languages=["da"], settings=settings)
        whole.append(parsed.date() if parsed else None)
        found = search_dates(row["text"], languages=["da"], settings=settings) or []
        searched.append(max((d.date() for _, d in found), default=None))
    return whole, searched, time.perf_counter() - start


def run_xlgoals(rows: list[dict[str, Any]], repeat: int) -> tuple[list[Any], float]:
    results = [parse_time(row["text"], row["ref"]).due for row in rows]  # warm-up + results
    start = time.perf_counter()
    for _ in range(repeat):
        for row in rows:
            parse_time(row["text"], row["ref"])
    return results, (time.perf_counter() - start) / repeat


def score(rows: list[dict[str, Any]], got: list[Any]) -> tuple[float, int, dict[str, float]]:
    """Exact-due accuracy, dates invented where the gold has none, accuracy per kind."""
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    right = invented = 0
    for row, value in zip(rows, got, strict=True):
        ok = value == row["due"]
        right += ok
        invented += row["due"] is None and value is not None
        per_kind[row["expected_kind"]][0] += 1
        per_kind[row["expected_kind"]][1] += ok
    kinds = {k: ok / n for k, (n, ok) in per_kind.items()}
    return right / len(rows), invented, kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="xlgoals timing repetitions")
    parser.add_argument("--misses", action="store_true", help="list the wrong answers")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows = load_gold()
    ours, our_seconds = run_xlgoals(rows, args.repeat)
    whole, searched, their_seconds = run_dateparser(rows)

    columns = {
        "xlgoals": score(rows, ours),
        "dateparser.parse": score(rows, whole),
        "dateparser search_dates": score(rows, searched),
    }
    print(f"gold set: {len(rows)} expressions ({GOLD.relative_to(ROOT)})\n")
    names = list(columns)
    print(f"{'':<22}" + "".join(f"{n:>25}" for n in names))
    print(f"{'exact due date':<22}" + "".join(f"{columns[n][0]:>25.1%}" for n in names))
    print(f"{'dates invented':<22}" + "".join(f"{columns[n][1]:>25}" for n in names))
    kinds = sorted(columns["xlgoals"][2])
    for kind in kinds:
        n = sum(1 for r in rows if r["expected_kind"] == kind)
        label = f"  {kind} (n={n})"
        print(f"{label:<22}" + "".join(f"{columns[c][2][kind]:>25.1%}" for c in names))

    ours_rate = len(rows) / our_seconds
    theirs_rate = 2 * len(rows) / their_seconds  # parse + search_dates per row
    print(f"\nxlgoals throughput:    {ours_rate:,.0f} expressions/second")
    print(f"dateparser throughput: {theirs_rate:,.0f} calls/second (parse and search_dates)")
    print(f"ratio:                 {ours_rate / theirs_rate:.1f}× faster")

    cell = "\n".join(f"• {row['text']}" for row in rows[:40])
    bullets = len(split_milestones(cell))
    start = time.perf_counter()
    for _ in range(args.repeat):
        split_milestones(cell, reference=dt.date(2026, 1, 1))
    rate = bullets * args.repeat / (time.perf_counter() - start)
    print(f"split_milestones:      {rate:,.0f} bullets/second (a {bullets}-bullet cell)")

    if args.misses:
        for name, got in (("xlgoals", ours), ("dateparser search_dates", searched)):
            print(f"\n{name} misses:")
            for row, value in zip(rows, got, strict=True):
                if value != row["due"]:
                    print(f"  {row['text'][:70]!r}: expected {row['due']}, got {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
