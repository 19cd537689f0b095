"""The specialists, in one table: the supervisor's graph and cycle, the request routing
(offline rules and the model's prompt), ``khazna ask``'s result key and the routing eval
all derive from it. A new specialist is its folder plus one entry here (and its key in
:class:`~khazna.agents.supervisor.state.SupervisorState`).

The routes (names, keys, descriptions, offline rules, in routing order) are the table of
:mod:`khazna.agents.routes`; this one adds how each specialist runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.runnables import RunnableConfig

from khazna.agents.anomaly_analyst.specialist import analyse_anomalies
from khazna.agents.assistant.specialist import answer
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.specialist import write_reminders
from khazna.agents.invoice_checker.specialist import check_invoices
from khazna.agents.reporter.specialist import weekly_report
from khazna.agents.routes import ROUTES
from khazna.agents.supervisor.state import Changes, Specialist, SpecialistResult, SupervisorState

Run = Callable[[AgentDeps, SupervisorState, RunnableConfig], SpecialistResult]
InCycle = Callable[[Changes, SupervisorState], bool]


@dataclass(frozen=True)
class SpecialistEntry:
    name: Specialist
    key: str  # the supervisor state key it writes
    run: Run  # (deps, state, config) -> its result
    description: str  # what it does, for the model's routing prompt
    rule: re.Pattern[str] | None  # offline routing, on the folded request (khazna.text.fold)
    in_cycle: InCycle | None  # (changes since the last run, state) -> runs this cycle


# how each route runs: (deps, state, config) -> its result, and when it runs in the cycle
_RUNS: dict[str, tuple[Run, InCycle | None]] = {
    "dunning_writer": (write_reminders, lambda changes, state: True),  # due reminders: every run
    "invoice_checker": (check_invoices, lambda changes, state: bool(changes["new_invoices"])),
    # on the last working day of the week, or when asked
    "weekly_reporter": (
        weekly_report,
        lambda changes, state: bool(changes["end_of_week"] or state.get("force_report")),
    ),
    "anomaly_analyst": (
        analyse_anomalies,
        lambda changes, state: bool(changes["new_bank_lines"] or changes["new_expenses"]),
    ),
    "assistant": (answer, None),  # requests only
}

SPECIALISTS: tuple[SpecialistEntry, ...] = tuple(
    SpecialistEntry(r.name, r.key, _RUNS[r.name][0], r.description, r.rule, _RUNS[r.name][1])
    for r in ROUTES
)
BY_NAME: dict[str, SpecialistEntry] = {s.name: s for s in SPECIALISTS}
DEFAULT: SpecialistEntry = next(s for s in SPECIALISTS if s.rule is None)
