"""Accuracy of ``khazna categorize`` and ``khazna anomalies`` on the demo, against its truth.

Generates the demo bundle (seed 7 by default), imports it into a fresh SQLite ledger, runs
the categorisation and the anomaly detection, and compares them with ``truth.json``:

- category accuracy, overall and per true category (with the precision of each predicted one);
- match precision / recall: a line counts as matched correctly when one of the ids it is
  matched to (payment, invoice, expense, commitment) is among what the truth says it settles;
- seeded anomalies found (same kind, a shared ref), look-alikes wrongly flagged, other flags.

Usage: ``.venv/bin/python benchmarks/bench_categorize_accuracy.py [--seed 7] [--as-of 2026-10-29]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path


def truth_ids(settles: dict) -> set[str]:
    out: set[str] = set()
    for v in settles.values():
        if isinstance(v, str) and v:
            out.add(v)
        elif isinstance(v, list):
            out.update(x for x in v if isinstance(x, str))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 29))
    ap.add_argument("--show", type=int, default=15, help="print this many miscategorised lines")
    args = ap.parse_args()

    try:
        from khazna.demo import generate
    except ImportError:  # before the demo package re-exports it
        from khazna.demo.generator import generate
    from khazna.ledger.bundle import import_bundle
    from khazna.ledger.db import Ledger
    from khazna.tools.anomalies import AnomaliesInput, detect_anomalies
    from khazna.tools.categorize import categorize_lines

    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "demo"
        generate(bundle, seed=args.seed, as_of=args.as_of)
        truth = json.loads((bundle / "truth.json").read_text(encoding="utf-8"))
        ledger = Ledger(f"sqlite:///{Path(tmp) / 'ledger.db'}")
        import_bundle(ledger, bundle, replace=True)
        with ledger.read() as s:
            t0 = time.perf_counter()
            cat = categorize_lines(s)
            t1 = time.perf_counter()
            anomalies = detect_anomalies(s, AnomaliesInput()).anomalies
            t2 = time.perf_counter()
        ledger.dispose()

    tb = truth["bank_lines"]
    n = len(cat)
    print(f"demo seed={args.seed} as_of={args.as_of}: {n} bank lines "
          f"(categorize {t1 - t0:.3f} s, anomalies {t2 - t1:.3f} s)")  # fmt: skip
    good, per_true, per_pred = 0, defaultdict(Counter), defaultdict(Counter)
    wrong = []
    m_pred = m_true = m_ok = 0
    wrong_match, missed_match = [], []
    for i in range(n):
        lid = cat.line_id[i]
        t = tb.get(lid)
        if t is None:
            continue
        ok = cat.category[i] == t["category"]
        good += ok
        per_true[t["category"]][ok] += 1
        per_pred[cat.category[i]][ok] += 1
        if not ok:
            wrong.append((lid, cat.label[i], t["category"], cat.category[i], cat.source[i]))
        ids = truth_ids(t.get("settles") or {})
        refs = set(cat.match_refs(i))
        m_true += bool(ids)
        if ids and cat.match_kind[i] is None:
            missed_match.append((lid, cat.label[i], sorted(ids)))
        if cat.match_kind[i] is not None:
            m_pred += 1
            if refs & ids:
                m_ok += 1
            else:
                wrong_match.append((lid, cat.label[i], sorted(ids), sorted(refs)))
    print(f"category accuracy: {good}/{n} = {good / max(n, 1):.1%}")
    print(f"  {'true category':<22} {'lines':>6} {'recall':>7}   {'predicted':>9} {'precision':>9}")
    for c in sorted(set(per_true) | set(per_pred)):
        t, p = per_true[c], per_pred[c]
        tr = f"{t[True] / sum(t.values()):.1%}" if t else "-"
        pr = f"{p[True] / sum(p.values()):.1%}" if p else "-"
        print(f"  {c:<22} {sum(t.values()):>6} {tr:>7}   {sum(p.values()):>9} {pr:>9}")
    print(f"match precision: {m_ok}/{m_pred} = {m_ok / max(m_pred, 1):.1%}; "
          f"recall: {m_ok}/{m_true} = {m_ok / max(m_true, 1):.1%}")  # fmt: skip
    for row in wrong[: args.show]:
        print("  miscategorised:", *row)
    for row in wrong_match[: args.show]:
        print("  wrong match:", *row)
    for row in missed_match[: args.show]:
        print("  not matched:", *row)

    found = [(a.kind, set(a.refs)) for a in anomalies]
    hit = 0
    for a in truth["anomalies"]:
        ok = any(k == a["kind"] and refs & set(a["refs"]) for k, refs in found)
        hit += ok
        if not ok:
            print(f"  MISSED {a['kind']} {a['refs'][:4]}: {a['reason']}")
    fp_alike = 0
    for a in truth["not_anomalies"]:
        if any(k == a["looks_like"] and refs & set(a["refs"]) for k, refs in found):
            fp_alike += 1
            print(f"  FLAGGED LOOK-ALIKE {a['looks_like']} {a['refs']}: {a['why']}")
    seeded = {(a["kind"], r) for a in truth["anomalies"] for r in a["refs"]}
    extra = [a for a in anomalies if not any((a.kind, r) in seeded for r in a.refs)]
    print(f"anomalies: seeded found {hit}/{len(truth['anomalies'])}, look-alikes flagged "
          f"{fp_alike}/{len(truth['not_anomalies'])}, other flags {len(extra)} "
          f"({dict(Counter(a.kind for a in extra))})")  # fmt: skip
    for a in extra[: args.show]:
        print(f"  other: {a.kind} {a.refs} {a.reason}")


if __name__ == "__main__":
    main()
