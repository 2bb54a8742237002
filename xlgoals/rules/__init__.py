"""All rules; importing this package registers them (one module per rule group)."""

from xlgoals.rules import attainment, completeness, smart, structure, survey, timeline
from xlgoals.rules.base import Rule, RuleConfig, RuleContext, all_rules, selected_rules

__all__ = [
    "Rule",
    "RuleConfig",
    "RuleContext",
    "all_rules",
    "attainment",
    "completeness",
    "selected_rules",
    "smart",
    "structure",
    "survey",
    "timeline",
]
