"""A file of this repository as it was at an earlier commit, for same-run comparisons."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_at(commit: str, path: str) -> str:
    """The text of `path` (relative to the repository root) at `commit` (`git show`)."""
    return subprocess.run(
        ["git", "show", f"{commit}:{path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
