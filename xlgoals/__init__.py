"""xlgoals: check and follow up Danish municipal goal matrices in Excel."""

from __future__ import annotations

from xlgoals.timeexpr import due_date as due_date
from xlgoals.timeexpr import find_periods as find_periods

__version__ = "0.1.0"
from xlgoals.criteria import parse_targets as parse_targets
