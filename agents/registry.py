"""The specialists, in one table: the supervisor's graph and cycle, the request routing
(offline rules and the model's prompt), ``khazna ask``'s result key and the routing eval
all derive from it. A new specialist is its folder plus one entry here (and its key in
:class:`~khazna.agents.supervisor.state.SupervisorState`).

The order is the routing order: the first entry whose rule matches a request takes it; the
entry without a rule (the assistant) takes what no rule matched.
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
from khazna.agents.supervisor.state import Changes, Specialist, SpecialistResult, SupervisorState
from khazna.text import fold_pattern

Run = Callable[[AgentDeps, SupervisorState, RunnableConfig], SpecialistResult]
InCycle = Callable[[Changes, SupervisorState], bool]


def _rule(pattern: str) -> re.Pattern[str]:
    """Rules run on :func:`khazna.text.fold`-ed requests; their words are folded alike."""
    return re.compile(fold_pattern(pattern))


@dataclass(frozen=True)
class SpecialistEntry:
    name: Specialist
    key: str  # the supervisor state key it writes
    run: Run  # (deps, state, config) -> its result
    description: str  # what it does, for the model's routing prompt
    rule: re.Pattern[str] | None  # offline routing, on the folded request (khazna.text.fold)
    in_cycle: InCycle | None  # (changes since the last run, state) -> runs this cycle


SPECIALISTS: tuple[SpecialistEntry, ...] = (
    SpecialistEntry(
        name="dunning_writer",
        key="dunning",
        run=write_reminders,
        description="payment reminders",
        rule=_rule(
            r"\b(relance[rsz]?|relancer|rappel de paiement|mise en demeure|reclamer|dunning|reminders?|remind|chase|chasing)\b|تذكير|اعذار|إعذار|مطالبة"
        ),
        in_cycle=lambda changes, state: True,  # due reminders are checked every run
    ),
    SpecialistEntry(
        name="invoice_checker",
        key="checker",
        run=check_invoices,
        description="checking an invoice",
        rule=_rule(
            r"\b(verifie[rsz]?|controle[rsz]?|check|conforme|conformite|mentions?|nif|nis|rib|timbre)\b.*\b(facture|invoice)s?\b"
            r"|\b(facture|invoice)\b.*\b(conforme|valide|correcte?|valid|compliant|correct)\b|تحقق.*فاتورة|الفاتورة.*(صحيحة|مطابقة)"
        ),
        in_cycle=lambda changes, state: bool(changes["new_invoices"]),
    ),
    SpecialistEntry(
        name="weekly_reporter",
        key="report",
        run=weekly_report,
        description="cash position, forecast, tension, report",
        rule=_rule(
            r"\b(tresorerie|tension|prevision|forecast|cash ?flow|cash position|rapport|report|a surveiller|placer|excedent|seuil de securite|safety threshold)\b|الخزينة|توقع"
        ),
        # on the last working day of the week, or when asked
        in_cycle=lambda changes, state: bool(changes["end_of_week"] or state.get("force_report")),
    ),
    SpecialistEntry(
        name="anomaly_analyst",
        key="analyst",
        run=analyse_anomalies,
        description="suspicious or duplicate spends",
        rule=_rule(
            r"\b(anomalies?|anormale?s?|doublons?|double paiement|paye(e|s)? deux fois|en double|duplicates?|hors (norme|politique)|justificatifs?|recus? manquants?|suspect\w*|inhabituel\w*|unusual|suspicious|paid twice|receipts?|out of policy)\b|مكرر|مشبوه|غير عادي"
        ),
        in_cycle=lambda changes, state: bool(changes["new_bank_lines"] or changes["new_expenses"]),
    ),
    SpecialistEntry(
        name="assistant",
        key="answer",
        run=answer,
        description="any question about figures of the books",
        rule=None,
        in_cycle=None,  # requests only
    ),
)

BY_NAME: dict[str, SpecialistEntry] = {s.name: s for s in SPECIALISTS}
DEFAULT: SpecialistEntry = next(s for s in SPECIALISTS if s.rule is None)
