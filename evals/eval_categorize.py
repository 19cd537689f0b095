"""Categorisation eval: every bank line of the demo (truth.json) at three seeds / as-of days.

Accuracy of the category overall and per category (lines of that true category given it),
and the match: what the line settles (payment, expense, commitment). A match is right when
the ids it cites include the line's payment(s), else its expense, else its commitment.
"""

from __future__ import annotations

from collections import Counter

from khazna.evals.scoring import prf, ratio
from khazna.tools.categorize import CategorizeInput, categorize


def key_ids(settles: dict) -> set[str]:
    pays = set(settles.get("payment_ids") or []) | (
        {settles["payment_id"]} if settles.get("payment_id") else set()
    )
    if pays:
        return pays
    for k in ("expense_id", "commitment_id"):
        if settles.get(k):
            return {settles[k]}
    return set()


def score_lines(truth_lines: dict, lines) -> Counter:
    c: Counter = Counter()
    for ln in lines:
        t = truth_lines.get(ln.line_id)
        if t is None:
            continue
        cat = t["category"]
        ok = ln.category == cat
        c["lines"] += 1
        c["right"] += ok
        c[f"n:{cat}"] += 1
        c[f"ok:{cat}"] += ok
        want = key_ids(t["settles"])
        got = set(ln.match_refs) | set((ln.matched or "").split(";")) - {""}
        if got:
            c["m_fp" if not (want & got) else "m_tp"] += 1
        if want and not (want & got):
            c["m_fn"] += 1
    return c


def run(ctx) -> tuple[dict[str, float], dict]:

    total: Counter = Counter()
    for demo in ctx.demos():
        with demo.ledger.read() as s:
            out = categorize(s, CategorizeInput())
        total.update(score_lines(demo.truth["bank_lines"], out.lines))
    scores = {"accuracy": ratio(total["right"], total["lines"])}
    m = prf(total["m_tp"], total["m_fp"], total["m_fn"])
    scores["match.precision"], scores["match.recall"] = m["precision"], m["recall"]
    cats = sorted(k[2:] for k in total if k.startswith("n:"))
    for cat in cats:
        scores[f"accuracy.{cat}"] = ratio(total[f"ok:{cat}"], total[f"n:{cat}"])
    return scores, {
        "lines": total["lines"],
        "lines_per_category": {c: total[f"n:{c}"] for c in cats},
    }
