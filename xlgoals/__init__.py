"""xlgoals: check and follow up Danish municipal goal matrices in Excel."""

from __future__ import annotations

__version__ = "0.1.0"
