"""The rule machinery: every check is a `Rule` with a stable code (sqlfluff-style).

A rule's class docstring documents it with an anti-pattern and a best practice; its
messages (Danish and English) live in `data/messages/<group>.json` under the rule code.
`xlgoals rules` prints the docstrings; `--select/--ignore` pick rules by code or prefix.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from xlgoals.grid import WorkbookGrid
from xlgoals.i18n import message
from xlgoals.model import ActionGoal, Finding, Plan, Severity


@dataclass(slots=True)
class RuleConfig:
    """Settings rules read; the CLI fills them from flags and `[tool.xlgoals]`."""

    due_soon_days: int = 30
    stale_after_days: int = 365
    anonymity_threshold: int = 5
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RuleContext:
    """Everything a rule may look at; rules never do I/O."""

    plan: Plan
    workbook: WorkbookGrid
    today: dt.date
    lang: str = "da"
    config: RuleConfig = field(default_factory=RuleConfig)
    extra: dict[str, Any] = field(default_factory=dict)
    """Results of other core steps (e.g. attainment) that some rules read."""


class Rule:
    """Base class; subclasses set `code`, `name`, `severity` and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        ctx: RuleContext,
        *,
        sheet: str | None,
        cell: str | None,
        action_goal: ActionGoal | str | None = None,
        severity: Severity | None = None,
        data: dict[str, object] | None = None,
        **args: Any,
    ) -> Finding:
        """A finding of this rule with its message rendered in the context's language."""
        goal_id = action_goal.id if isinstance(action_goal, ActionGoal) else action_goal
        return Finding(
            rule=self.code,
            severity=severity or self.severity,
            sheet=sheet,
            cell=cell,
            message=message(self.code, ctx.lang, **args),
            action_goal=goal_id,
            data=data or {},
        )

    @classmethod
    def documentation(cls) -> str:
        """The rule's docstring, dedented (bad and good example included)."""
        return inspect.cleandoc(cls.__doc__ or "")


_REGISTRY: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to the registry under its code."""
    if rule.code in _REGISTRY:
        raise ValueError(f"rule code {rule.code} registered twice")
    _REGISTRY[rule.code] = rule
    return rule


def all_rules() -> list[type[Rule]]:
    """Every registered rule, sorted by code."""
    import xlgoals.rules  # noqa: F401  (imports the rule modules, which register)

    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code == p or (p and code.startswith(p)) for p in patterns)


def selected_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[type[Rule]]:
    """Rules picked by code or prefix (`TL`, `TL001`); ignore wins over select."""
    select_list = [s.strip().upper() for s in (select or []) if s.strip()]
    ignore_list = [s.strip().upper() for s in (ignore or []) if s.strip()]
    chosen = []
    for rule in all_rules():
        if select_list and not _matches(rule.code, select_list):
            continue
        if _matches(rule.code, ignore_list):
            continue
        chosen.append(rule)
    return chosen


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """Codes/prefixes that match no rule (a usage error on the command line)."""
    known = [rule.code for rule in all_rules()]
    return [c for c in codes if c and not any(k.startswith(c.strip().upper()) for k in known)]


def run_rules(ctx: RuleContext, rules: Iterable[type[Rule]]) -> Iterator[Finding]:
    """Run `rules` in code order."""
    for rule in rules:
        yield from rule().check(ctx)
