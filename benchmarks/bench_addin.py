"""Speed of the xlwings add-in's "Valider plan" against `xlgoals check` on the same workbook.

For matrices of R action-goal rows, times in one run:
  * check   – calamine read + matrix + rules (what `xlgoals check` does per file: baseline);
  * addin   – the xlwings remote book from the Office.js JSON payload, the same analysis,
              and the reply's actions (what xlwings Lite/Server run for one button press);
and prints the seconds, the number of actions and the ratio addin/check. The payload is
built before timing (Excel's client builds it, not Python).
Run:  python benchmarks/bench_addin.py [R ...]   (default 30 300 3000)
"""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import asyncio
import contextlib
import datetime as dt
import io
import runpy
import sys
import tempfile
import time
import types
from pathlib import Path

import xlsxwriter
import xlwings as xw
from xlwings.server import custom_scripts_call

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.xlwings_payload import payload_from_xlsx  # noqa: E402
from xlgoals.engine import analyse  # noqa: E402
from xlgoals.owned import owned_columns  # noqa: E402
from xlgoals.reader import read_workbook  # noqa: E402

HEADERS = ["Politisk mål", "Delmål", "Handlemål", "Succeskriterier", "Evaluering"]
HEADERS += ["Tids- og handleplan", "Tovholder/ansvarlig"]


def build(path: Path, rows: int) -> Path:
    """A matrix with a sub-goal heading every 10 rows; every third row lacks a criterion."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Målmatrix")
    for col, text in enumerate(HEADERS):
        ws.write(3, col, text)
    for offset, column in enumerate(owned_columns()):
        ws.write(3, 7 + offset, column.header())
    row = 4
    for index in range(rows):
        sub, goal = divmod(index, 10)
        if goal == 0:
            ws.write(row, 0, f"Delmål 1.{sub + 1}. Derfor vil vi styrke indsats {sub + 1}")
            row += 1
        ws.write(row, 2, f"(1.{sub + 1}.{goal + 1}.) der arbejdes med indsats {index}")
        if index % 3:
            ws.write(row, 3, "der ved udgangen af 2027 er mindst 80 % af deltagerne tilfredse")
        ws.write(row, 4, "Spørgeskema")
        ws.write(row, 5, "• Primo 2027: start\n• Ultimo 2027: evaluering")
        ws.write(row, 6, "Forankret i chefgruppen – Claus Herbert er ansvarlig")
        row += 1
    book.close()
    return path


def main(sizes: list[int]) -> None:
    namespace = runpy.run_path(str(ROOT / "workbook" / "lite" / "main.py"))
    module = types.ModuleType("main")
    module.__dict__.update(namespace)
    today = dt.date.today()
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            path = build(Path(folder) / f"plan_{rows}.xlsx", rows)
            payload = payload_from_xlsx(path)

            start = time.perf_counter()
            analysis = analyse(read_workbook(path), today=today)
            check = time.perf_counter() - start

            start = time.perf_counter()
            book = xw.Book(json=payload)
            with contextlib.redirect_stdout(io.StringIO()):
                reply = asyncio.run(
                    custom_scripts_call(module, "valider_plan", typehint_to_value={xw.Book: book})
                )
            actions = len(reply.json()["actions"])
            addin = time.perf_counter() - start
            print(
                f"{rows:>6} rows  check {check:7.3f} s  addin {addin:7.3f} s  "
                f"ratio {addin / check:5.2f}  findings {len(analysis.findings):>5}  "
                f"actions {actions:>5}"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [30, 300, 3000])
