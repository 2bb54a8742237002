"""Survey import speed: 10,000 respondents × 100 questions against a plain pandas read.

Run from the repository root:

    python benchmarks/bench_survey.py [--respondents 10000] [--questions 100] [--repeat 3]

Writes a Danish-Excel CSV (';', UTF-8 with BOM) and an xlsx export of the same answers to a
temporary folder, then times, in the same run, `pandas.read_csv` / `pandas.read_excel` of
the file against `xlgoals.survey.readers.read_survey` (detection, personal-data dropping,
status, counting). It prints best-of-N seconds and the ratio (target ≤ 2×), and checks the
pure-Python core path gives the same counts.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlgoals.survey.readers import decode_text, read_survey
from xlgoals.survey.tabulate import tabulate_grid

SCALE = [
    "I meget høj grad",
    "I høj grad",
    "I nogen grad",
    "I mindre grad",
    "Slet ikke",
    "Ved ikke",
    "",
]
WEIGHTS = [20, 30, 20, 10, 5, 10, 5]


def build_rows(respondents: int, questions: int, seed: int = 7) -> list[list[object]]:
    rng = random.Random(seed)
    header = ["Navn", "E-mail", "Afdeling"] + [f"Spørgsmål {i + 1}" for i in range(questions)]
    rows: list[list[object]] = [header]
    for n in range(respondents):
        answers = rng.choices(SCALE, WEIGHTS, k=questions)
        rows.append([f"Person {n}", f"person{n}@kommune.dk", rng.choice("ABCD"), *answers])
    return rows


def write_csv(rows: list[list[object]], path: Path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(rows: list[list[object]], path: Path) -> None:
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write_string(r, c, str(value))
    book.close()


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = build_rows(args.respondents, args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path, xlsx_path = folder / "export.csv", folder / "export.xlsx"
        write_csv(rows, csv_path)
        write_xlsx(rows, xlsx_path)
        size = f"{args.respondents} respondents × {args.questions} questions"
        print(f"survey import benchmark: {size}, best of {args.repeat}")
        results = []
        plain_csv = best(args.repeat, lambda: pd.read_csv(csv_path, sep=";"))
        ours_csv = best(args.repeat, lambda: read_survey(csv_path))
        results.append(("csv  pandas.read_csv(sep=';')", plain_csv, ours_csv))
        # openpyxl (pandas' default engine until pandas 4) is slow: one run is enough
        plain_xl = best(1, lambda: pd.read_excel(xlsx_path, engine="openpyxl"))
        calamine_xl = best(args.repeat, lambda: pd.read_excel(xlsx_path, engine="calamine"))
        ours_xl = best(args.repeat, lambda: read_survey(xlsx_path))
        results.append(("xlsx pandas.read_excel(engine='openpyxl')", plain_xl, ours_xl))
        results.append(("xlsx pandas.read_excel(engine='calamine')", calamine_xl, ours_xl))
        for label, plain, ours in results:
            print(
                f"{label:<44} plain {plain:7.3f} s  xlgoals {ours:7.3f} s  "
                f"ratio {ours / plain:5.2f}×"
            )
        # the pure-Python core (xlwings Lite path) must count exactly the same
        text, _ = decode_text(csv_path.read_bytes())
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        start = time.perf_counter()
        core = tabulate_grid(grid)
        core_time = time.perf_counter() - start
        fast = read_survey(csv_path)
        same = [q.model_dump() for q in core.questions] == [q.model_dump() for q in fast.questions]
        print(f"core tabulate_grid on the pasted rows: {core_time:.3f} s, identical counts: {same}")
        worst = max(ours / plain for _, plain, ours in results)
        print(f"worst ratio {worst:.2f}× (target ≤ 2×)")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
