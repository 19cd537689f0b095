"""Anomaly analyst eval: the demo's seeded anomalies (truth.json) at three seeds / as-of days.

A seeded anomaly is found when an anomaly of the same kind shares at least one ref with it
(expense ids or bank line ids: the monthly cap lists the month's rows, the detector may cite
fewer). A reported anomaly that matches no seeded one is a false alarm. Look-alikes (two
genuine equal orders, the planned annual insurance premium) must not be reported as the
kind they look like.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from khazna.evals.scoring import prf, ratio
from khazna.tools.anomalies import AnomaliesInput, detect_anomalies


def _overlap(kind: str, refs: set[str], found: Sequence[tuple[str, set[str]]]) -> bool:
    return any(k == kind and refs & r for k, r in found)


def score_ledger(truth: dict, found: Sequence[tuple[str, set[str]]]) -> Counter:
    seeded = [(a["kind"], set(a["refs"])) for a in truth["anomalies"]]
    c: Counter = Counter()
    for kind, refs in seeded:
        hit = _overlap(kind, refs, found)
        c["tp" if hit else "fn"] += 1
        c[f"{'tp' if hit else 'fn'}:{kind}"] += 1
    for kind, refs in found:
        if not _overlap(kind, refs, seeded):
            c["fp"] += 1
            c[f"fp:{kind}"] += 1
    for a in truth["not_anomalies"]:
        c["lookalikes"] += 1
        c["lookalikes_flagged"] += _overlap(a["looks_like"], set(a["refs"]), found)
    return c


def run(ctx) -> tuple[dict[str, float], dict]:

    total: Counter = Counter()
    per: dict[str, dict] = {}
    for demo in ctx.demos():
        with demo.ledger.read() as s:
            out = detect_anomalies(s, AnomaliesInput(date_to=demo.as_of))
        found = [(a.kind, set(a.refs)) for a in out.anomalies]
        c = score_ledger(demo.truth, found)
        total.update(c)
        per[demo.name] = {k: v for k, v in c.items() if ":" in k}
    scores = prf(total["tp"], total["fp"], total["fn"])
    scores["lookalikes_not_flagged"] = ratio(
        total["lookalikes"] - total["lookalikes_flagged"], total["lookalikes"]
    )
    return scores, {"counts": {k: total[k] for k in ("tp", "fp", "fn", "lookalikes", "lookalikes_flagged")},
                    "per_ledger": per}  # fmt: skip
