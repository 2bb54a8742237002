"""Speed of `xlgoals check` against plain library reads of the same workbooks.

Builds N goal-matrix workbooks (each with R action-goal rows whose success criteria and
time plans are distinct real Danish texts from the gold sets), then times, in one run:
  * openpyxl   – `load_workbook(read_only=True)` and iterating every value (the baseline);
  * calamine   – python-calamine reading every sheet's values (what xlgoals uses);
  * xlgoals    – read + matrix + all rules, as `xlgoals check` does per file.
Prints the seconds and the ratios. Run:  python benchmarks/bench_check.py [N] [R]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_refresh_command import build as build_matrix

from xlgoals.engine import analyse
from xlgoals.reader import read_workbook


def build(folder: Path, count: int, rows_per_book: int) -> list[Path]:
    """`count` workbooks whose rows carry distinct real criteria and time plans."""
    paths = []
    for i in range(count):
        path = folder / f"plan_{i:03}.xlsx"
        build_matrix(path, rows_per_book, offset=i)
        paths.append(path)
    return paths


def timed(label: str, func, paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        func(path)
    seconds = time.perf_counter() - start
    print(f"{label:<10} {seconds:8.3f} s  ({len(paths) / seconds:7.1f} workbooks/s)")
    return seconds


def openpyxl_read(path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    book.close()


def calamine_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    book.close()


def xlgoals_check(path: Path) -> None:
    analyse(read_workbook(path), today=dt.date(2026, 1, 1))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp), count, rows)
        print(f"{count} workbooks × {rows} action-goal rows")
        xlgoals_check(paths[0])  # warm imports and caches for all three
        openpyxl_read(paths[0])
        calamine_read(paths[0])
        base = timed("openpyxl", openpyxl_read, paths)
        cal = timed("calamine", calamine_read, paths)
        ours = timed("xlgoals", xlgoals_check, paths)
        print(f"calamine / openpyxl = {cal / base:.2f}")
        print(f"xlgoals check / openpyxl read = {ours / base:.2f}")
        print(f"xlgoals check / calamine read = {ours / cal:.2f}")


if __name__ == "__main__":
    main()
