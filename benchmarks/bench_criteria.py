"""`parse_targets` (success criteria → targets) now against a baseline commit, same run.

The baseline's `xlgoals/criteria.py` is read with `git show <commit>:xlgoals/criteria.py` and
imported next to the current one (both use the current `xlgoals.timeexpr`). Every text of
the gold and held-out sets (tests/data/criteria_gold.json, criteria_heldout.json) is parsed
by both with its own reference date; the outputs must be equal (model_dump, JSON mode) or
the script stops. Then both parse all texts `--repeat` times, taking turns, and the median
of each is printed with the ratio, twice: the whole `parse_targets`, and the criteria
parser alone (the text already normalised and its dates already found by
`timeexpr.find_periods`, which both versions share).

    python benchmarks/bench_criteria.py [--baseline 3a04bb0] [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from git_baseline import source_at  # noqa: E402

from xlgoals import criteria  # noqa: E402
from xlgoals.timeexpr import find_periods  # noqa: E402

SETS = ("tests/data/criteria_gold.json", "tests/data/criteria_heldout.json")


def baseline_module(commit: str, folder: Path) -> ModuleType:
    """The criteria module as it was at `commit`, imported under its own name."""
    source = source_at(commit, "xlgoals/criteria.py")
    path = folder / "criteria_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("criteria_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["criteria_baseline"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def cases() -> list[tuple[str, dt.date | None]]:
    """(text, reference date) of every gold and held-out item."""
    out = []
    for name in SETS:
        for item in json.loads((ROOT / name).read_text("utf-8"))["items"]:
            reference = item.get("reference")
            out.append((item["text"], dt.date.fromisoformat(reference) if reference else None))
    return out


def dumped(module: ModuleType, text: str, reference: dt.date | None) -> list[dict[str, Any]]:
    return [t.model_dump(mode="json") for t in module.parse_targets(text, reference)]


def prepared(texts: list[tuple[str, dt.date | None]]) -> list[tuple[str, list, dt.date | None]]:
    """Each text as `parse_targets` hands it to the parser: normalised, dates found."""
    out = []
    for text, reference in texts:
        if text.strip():
            norm = criteria._normalise(text)
            out.append((norm, list(find_periods(norm, reference)), reference))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="3a04bb0", help="commit to compare with")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="stop when any text parses differently (for speed work, which changes no result)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_module(args.baseline, Path(tmp))
    texts = cases()
    differ = [t for t, ref in texts if dumped(old, t, ref) != dumped(criteria, t, ref)]
    if differ and args.strict:
        sys.exit(f"{len(differ)} of {len(texts)} texts parse differently, e.g. {differ[0]!r}")
    if differ:
        # accuracy rounds since the baseline change some results on purpose
        print(f"{len(texts)} texts (gold + held-out); {len(differ)} parse differently from")
        print(f"{args.baseline} (fixes since then), e.g. {differ[0][:70]!r}")
    else:
        print(f"{len(texts)} texts (gold + held-out): identical targets from both versions")
    ready = prepared(texts)

    def whole(module: ModuleType) -> float:
        start = time.perf_counter()
        for text, reference in texts:
            module.parse_targets(text, reference)
        return time.perf_counter() - start

    def parser_only(module: ModuleType) -> float:
        start = time.perf_counter()
        for norm, periods, reference in ready:
            module._Parser(norm, periods, reference).run()
        return time.perf_counter() - start

    print(f"{'':24} {args.baseline:>10} {'now':>10} {'ratio':>7}")
    for label, measure in (("parse_targets", whole), ("parser (dates found)", parser_only)):
        measure(old), measure(criteria)  # warm the caches (compiled patterns)
        before, now = [], []
        for _ in range(args.repeat):
            before.append(measure(old))
            now.append(measure(criteria))
        b, n = statistics.median(before), statistics.median(now)
        print(f"{label:24} {b * 1000:>8.1f}ms {n * 1000:>8.1f}ms {b / n:>6.2f}x")


if __name__ == "__main__":
    main()
