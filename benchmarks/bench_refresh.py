"""Benchmark: the lossless patch against a plain openpyxl load-and-save, in the same run.

For goal matrices of 30, 300 and 3,000 action rows it writes 5 owned status cells per
row plus an owned overview sheet with a bar chart (what `xlgoals refresh` writes), and
times it against `openpyxl.load_workbook(...).save(...)` of the same file, which does
no work beyond reading and writing. Runs take turns; prints best (and median) of N
runs and the ratios. "again" is a later refresh of an already refreshed file with
changed values (the steady state).

`--refresh-shape` times instead exactly the call `xlgoals refresh` makes: the matrices of
`bench_refresh_command.py` (a distinct real criterion and plan per row), their owned status
cells and the three owned sheets (findings, measurement plan, overview with a chart) from
the engine; first refresh, a later refresh with changed values, an unchanged refresh and a
dry run, against openpyxl load-and-save of the source and of the refreshed file. Prints
median and best wall time and best CPU time, and the ratios.

    python benchmarks/bench_refresh.py [--repeat 5]
    python benchmarks/bench_refresh.py --refresh-shape --sizes 300 --repeat 11
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from xlgoals.xlsxpatch import BarChart, OwnedSheet, patch_workbook

SHEET = "Handleplan"
HEADERS = [
    "Politisk mål",
    "Delmål",
    "Handlemål",
    "Succeskriterier",
    "Evalueringsmetode",
    "Tid og handleplan",
    "Ansvarlig",
    "Status\n(udfyldes automatisk)",
    "Målt resultat\n(udfyldes automatisk)",
    "Målopfyldelse\n(udfyldes automatisk)",
    "Næste milepæl\n(udfyldes automatisk)",
    "Forsinkede milepæle\n(udfyldes automatisk)",
]


def build_matrix(path: Path, rows: int) -> None:
    """A goal matrix with `rows` action goals, a heading row per sub-goal of 5."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    sub = wb.add_format({"bold": True, "italic": True})
    ws.set_column("A:G", 28, wrap)
    ws.write_row(0, 0, HEADERS, head)
    r = 1
    for i in range(rows):
        if i % 5 == 0:
            ws.merge_range(r, 1, r, 6, f"Delmål 1.{i // 5 + 1} Et delmål med en lang tekst", sub)
            r += 1
        ws.write(r, 0, "Alle børn skal trives")
        ws.write(r, 1, f"Delmål 1.{i // 5 + 1}")
        ws.write(r, 2, f"(1.{i // 5 + 1}.{i % 5 + 1}.) Handlemål\n• punkt a\n• punkt b")
        ws.write(r, 3, f"Mindst {50 + i % 40} % svarer 'I høj grad' ved udgangen af 2027")
        ws.write(r, 4, "Trivselsmåling")
        ws.write(r, 5, "primo 2026: opstart\nultimo 2027: evaluering")
        ws.write(r, 6, "Skoleleder")
        r += 1
    ws.write_comment("C3", "Brugerens note")
    ws.data_validation(1, 7, r, 7, {"validate": "list", "source": ["OK", "Advarsel", "Fejl"]})
    wb.close()


def owned_cells(path: Path) -> dict[str, object]:
    """Five owned status cells for every action row (found by reading the file once)."""
    ws = openpyxl.load_workbook(path, read_only=True)[SHEET]
    cells: dict[str, object] = {}
    for r, row in enumerate(ws.iter_rows(min_row=2, max_col=3, values_only=True), start=2):
        if row[2] is None:
            continue
        cells[f"H{r}"] = "OK" if r % 3 else "Advarsel"
        cells[f"I{r}"] = f"{60 + r % 30} % (n=120, 01-10-2026)"
        cells[f"J{r}"] = (r % 10) / 10
        cells[f"K{r}"] = dt.date(2026, 12, 31)
        cells[f"L{r}"] = "primo 2026: opstart" if r % 4 == 0 else None
    return cells


def overview(rows: int) -> OwnedSheet:
    subgoals = max(1, rows // 5)
    data: list[list[object]] = [["Delmål", "Handlemål", "Fremdrift"]]
    data += [[f"Delmål 1.{i + 1}", 5, (i % 10) / 10] for i in range(subgoals)]
    return OwnedSheet(
        rows=data,
        column_widths=[24, 12, 12],
        number_formats={"C": "0%"},
        chart=BarChart("Fremdrift pr. delmål", "A", "C", value_format="0%", value_max=1),
    )


def interleaved(fns: list[Callable[[], None]], repeat: int) -> list[tuple[float, float]]:
    """Best and median wall time of each function, run in turns so that load from other
    processes falls on all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [(min(t), statistics.median(t)) for t in times]


def timed(fns: dict[str, Callable[[], None]], repeat: int) -> dict[str, tuple[float, ...]]:
    """(median wall, best wall, best CPU) of each function, run in turns."""
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return {k: (statistics.median(wall[k]), min(wall[k]), min(cpu[k])) for k in fns}


def refresh_shape(sizes: list[int], repeat: int) -> None:
    """The patch `xlgoals refresh` makes, timed against openpyxl load-and-save."""
    import shutil

    from bench_refresh_command import build

    from xlgoals.engine import analyse, owned_updates
    from xlgoals.reader import read_workbook
    from xlgoals.refresh import owned_sheets

    print("ms: median wall / best wall / best CPU; ratio: best CPU / openpyxl best CPU")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        work = folder / "w.xlsx"
        for rows in sizes:
            source = folder / f"m{rows}.xlsx"
            build(source, rows)
            grid = read_workbook(source)
            now = owned_updates(grid, analyse(grid, today=dt.date(2026, 11, 1)))
            later = owned_updates(grid, analyse(grid, today=dt.date(2026, 12, 15)))
            refreshed = folder / f"r{rows}.xlsx"
            patch_workbook(source, cells=now.cells, sheets=owned_sheets(now), output=refreshed)

            def patch(base: Path, updates: object, dry: bool = False) -> Callable[[], None]:
                sheets = owned_sheets(updates)  # type: ignore[arg-type]

                def run() -> None:
                    shutil.copy(base, work)
                    patch_workbook(
                        work,
                        cells=updates.cells,  # type: ignore[attr-defined]
                        sheets=sheets,
                        dry_run=dry,
                    )

                return run

            def resave(base: Path) -> Callable[[], None]:
                def run() -> None:
                    shutil.copy(base, work)
                    openpyxl.load_workbook(work).save(work)

                return run

            results = timed(
                {
                    "openpyxl, source": resave(source),
                    "openpyxl, refreshed file": resave(refreshed),
                    "patch, first refresh": patch(source, now),
                    "patch, changed values": patch(refreshed, later),
                    "patch, unchanged": patch(refreshed, now),
                    "patch, dry run": patch(refreshed, later, dry=True),
                },
                repeat,
            )
            base = results["openpyxl, source"][2]
            base_refreshed = results["openpyxl, refreshed file"][2]
            print(f"{rows} action rows, {len(now.cells[next(iter(now.cells))])} owned cells")
            for name, (median, best, best_cpu) in results.items():
                against = base_refreshed if name != "patch, first refresh" else base
                print(
                    f"  {name:<26} {median * 1000:6.1f} / {best * 1000:6.1f} / "
                    f"{best_cpu * 1000:6.1f} ms   x source {best_cpu / base:4.2f}"
                    + (
                        f"   x same file {best_cpu / against:4.2f}"
                        if name.startswith("patch") and not name.endswith("dry run")
                        else ""
                    )
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[30, 300, 3000])
    parser.add_argument("--refresh-shape", action="store_true")
    args = parser.parse_args()
    if args.refresh_shape:
        refresh_shape(args.sizes, args.repeat)
        return
    print("median (best) wall time of each, in ms, and the ratio to openpyxl load-and-save")
    print(
        f"{'rows':>6} {'cells':>6} {'KB':>4} {'openpyxl':>14} {'patch':>13} {'ratio':>11}"
        f" {'again':>13} {'ratio':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for rows in args.sizes:
            source = folder / f"matrix{rows}.xlsx"
            build_matrix(source, rows)
            cells = owned_cells(source)
            sheet = overview(rows)
            out_patch = folder / f"patched{rows}.xlsx"
            out_openpyxl = folder / f"openpyxl{rows}.xlsx"

            def do_patch(source=source, cells=cells, sheet=sheet, out=out_patch) -> None:
                patch_workbook(
                    source,
                    cells={SHEET: cells},
                    sheets={"Overblik (xlgoals)": sheet},
                    output=out,
                )

            # the steady state: a later refresh of an already refreshed file, new values
            do_patch()
            changed = {k: (v + 0.05 if isinstance(v, float) else v) for k, v in cells.items()}
            out_again = folder / f"again{rows}.xlsx"

            def do_again(source=out_patch, cells=changed, sheet=sheet, out=out_again) -> None:
                patch_workbook(
                    source,
                    cells={SHEET: cells},
                    sheets={"Overblik (xlgoals)": sheet},
                    output=out,
                )

            def do_openpyxl(source=source, out=out_openpyxl) -> None:
                openpyxl.load_workbook(source).save(out)

            (base_best, base_median), (patch_best, patch_median), (again_best, again_median) = (
                interleaved([do_openpyxl, do_patch, do_again], args.repeat)
            )
            print(
                f"{rows:>6} {len(cells):>6} {source.stat().st_size / 1024:>4.0f}"
                f" {base_median * 1000:>7.1f} ({base_best * 1000:>5.1f})"
                f" {patch_median * 1000:>6.1f} ({patch_best * 1000:>5.1f})"
                f" {patch_median / base_median:>5.2f} ({patch_best / base_best:.2f})"
                f" {again_median * 1000:>6.1f} ({again_best * 1000:>5.1f})"
                f" {again_median / base_median:>5.2f} ({again_best / base_best:.2f})"
            )


if __name__ == "__main__":
    main()
