"""The whole `xlgoals refresh` (read, core, lossless write) against openpyxl load-and-save.

Issue 5 asks that refreshing a 300-row workbook takes at most half the time of a plain
openpyxl load-and-save of the same file. The matrices here have a different, real success
criterion and time plan in every row (taken from the gold sets under tests/data and made
distinct), so nothing is helped by repeated text. Each size is timed in the same run, the
two taking turns; prints the median of N runs and the ratio.

    python benchmarks/bench_refresh_command.py [--repeat 5] [--sizes 30 300 3000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlgoals.refresh import refresh_file  # noqa: E402

HEADERS = [
    "Politisk mål",
    "Delmål",
    "Handlemål",
    "Succeskriterier",
    "Evaluering",
    "Tids- og handleplan",
    "Tovholder/ansvarlig",
]


def texts() -> tuple[list[str], list[str]]:
    gold = json.loads((ROOT / "tests/data/criteria_gold.json").read_text("utf-8"))["items"]
    criteria = [item["text"] for item in gold]
    with (ROOT / "tests/data/time_gold.tsv").open(encoding="utf-8") as handle:
        plans = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return criteria, plans


def build(path: Path, rows: int, offset: int = 0) -> None:
    """A matrix of `rows` action goals; `offset` makes another workbook's texts differ."""
    criteria, plans = texts()
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Målmatrix")
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    sheet.set_column("A:G", 30, wrap)
    sheet.write_row(0, 0, HEADERS)
    r = 1
    for i in range(rows):
        if i % 10 == 0:
            sheet.merge_range(
                r, 0, r, 6, f"Delmål 1.{i // 10 + 1}. Derfor vil vi nå delmål {i // 10}"
            )
            r += 1
        # Distinct texts: a row number woven into each sentence.
        j = i + offset * 7
        criterion = f"{criteria[j % len(criteria)]} (række {i}, plan {offset})"
        plan = "\n".join(f"• {plans[(j * 3 + k) % len(plans)]} – trin {i}.{k}" for k in range(3))
        sheet.write_row(
            r,
            2,
            [
                f"(1.{i // 10 + 1}.{i % 10 + 1}.) Handlemål {i}",
                criterion,
                "Spørgeskema til medarbejderne",
                plan,
                f"Forankret i ledergruppen – Anne Hansen {i} er ansvarlig",
            ],
        )
        r += 1
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 3000])
    args = parser.parse_args()
    today = dt.date(2026, 11, 1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'rows':>6} {'openpyxl':>10} {'refresh':>10} {'ratio':>7}")
        for size in args.sizes:
            source = folder / f"m{size}.xlsx"
            build(source, size)
            base_times, ours = [], []
            for _ in range(args.repeat):
                copy = folder / "o.xlsx"
                shutil.copy(source, copy)
                start = time.perf_counter()
                openpyxl.load_workbook(copy).save(copy)
                base_times.append(time.perf_counter() - start)
                target = folder / "r.xlsx"
                shutil.copy(source, target)
                start = time.perf_counter()
                refresh_file(target, today=today)
                ours.append(time.perf_counter() - start)
            base, mine = statistics.median(base_times), statistics.median(ours)
            print(f"{size:>6} {base * 1000:>8.0f}ms {mine * 1000:>8.0f}ms {mine / base:>7.2f}")


if __name__ == "__main__":
    main()
