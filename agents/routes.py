"""The routes of a free request, in one table: each specialist's name, its result key, what it
does (for the model's routing prompt) and its offline rule. Kept apart from
:mod:`khazna.agents.registry` (which adds how each one runs) so that routing a request offline
loads no specialist: ``khazna ask`` offline answers in under a second because of it
(benchmarks/bench_ask.py).

The order is the routing order: the first route whose rule matches a request takes it; the
route without a rule (the assistant) takes what no rule matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khazna.text import fold, fold_pattern

if TYPE_CHECKING:  # for annotations only: the state module loads the dunning tools (0.2 s)
    from khazna.agents.supervisor.state import Specialist


def _rule(pattern: str) -> re.Pattern[str]:
    """Rules run on :func:`khazna.text.fold`-ed requests; their words are folded alike."""
    return re.compile(fold_pattern(pattern))


@dataclass(frozen=True)
class Route:
    name: Specialist
    key: str  # the supervisor state key it writes
    description: str  # what it does, for the model's routing prompt
    rule: re.Pattern[str] | None  # offline routing, on the folded request (khazna.text.fold)


ROUTES: tuple[Route, ...] = (
    Route(
        name="dunning_writer",
        key="dunning",
        description="payment reminders",
        rule=_rule(
            r"\b(relance[rsz]?|relancer|rappel de paiement|mise en demeure|reclamer|dunning|reminders?|remind|chase|chasing)\b|تذكير|اعذار|إعذار|مطالبة"
        ),
    ),
    Route(
        name="invoice_checker",
        key="checker",
        description="checking an invoice",
        rule=_rule(
            r"\b(verifie[rsz]?|controle[rsz]?|check|conforme|conformite|mentions?|nif|nis|rib)\b.*\b(facture|invoice)s?\b"
            r"|\b(facture|invoice)\b.*\b(conforme|valide|correcte?|valid|compliant|correct)\b|تحقق.*فاتورة|الفاتورة.*(صحيحة|مطابقة)"
        ),
    ),
    Route(
        name="weekly_reporter",
        key="report",
        description="cash position, forecast, tension, report",
        rule=_rule(
            r"\b(tresorerie|tension|prevision|forecast|cash ?flow|cash position|rapport|report|a surveiller|placer|excedent|seuil de securite|safety threshold)\b|الخزينة|توقع"
            # a what-if ("et si le client X paie 15 jours plus tard ?"): agents/reporter/what_if.py
            r"|\bwhat if\b|\bsi\b.*\b(paie|paye|place|achete|embauche|recrute|recois|encaisse|depense)\b"
        ),
    ),
    Route(
        name="anomaly_analyst",
        key="analyst",
        description="suspicious or duplicate spends",
        rule=_rule(
            r"\b(anomalies?|anormale?s?|doublons?|double paiement|paye(e|s)? deux fois|en double|duplicates?|hors (norme|politique)|justificatifs?|recus? manquants?|suspect\w*|inhabituel\w*|unusual|suspicious|paid twice|receipts?|out of policy)\b|مكرر|مشبوه|غير عادي"
        ),
    ),
    Route(
        name="assistant",
        key="answer",
        description="any question about figures of the books",
        rule=None,
    ),
)
DEFAULT_ROUTE: Route = next(r for r in ROUTES if r.rule is None)


# a request for one figure ("combien de dépenses sans justificatif ce mois-ci ?"): the
# assistant answers it when its reader reads every word, whatever specialist a word evokes
FIGURE = _rule(
    r"^\s*(?:et\s+)?(?:combien|nombre|quel(?:le)?s? (?:est|sont|a|ont|etait)|quel(?:le)? (?:montant|total|part|pourcentage)|total|montant|how (?:many|much)|what (?:is|was|are) the (?:total|amount|number|share)|number of)\b"
    r"|^\s*(?:كم|قداش|شحال|ما هو مجموع|ما مجموع|ما هي قيمة)"
)


def figure_request(request: str) -> bool:
    """Whether the request asks for one figure (a count, a total, an amount, a share)."""
    return FIGURE.search(fold(request)) is not None


def route_by_rules(request: str) -> tuple[Specialist, str]:
    """The specialist a request goes to offline, and why (the rule's words)."""
    t = fold(request)
    for r in ROUTES:
        if r.rule is not None and (m := r.rule.search(t)):
            return r.name, f"règle : « {m.group(0)} »"
    return DEFAULT_ROUTE.name, "par défaut : question au comptable"
