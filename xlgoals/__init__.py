"""xlgoals: check and follow up Danish municipal goal matrices in Excel."""

from __future__ import annotations

__version__ = "0.1.0"
from xlgoals.criteria import parse_targets as parse_targets
