"""Benchmark the invoice reader on layouts it was not written for (issue 11 part 1).

    .venv/bin/python benchmarks/bench_outside_layouts.py [--seed 2026] [--keep DIR] [--json]
        [--split dev|heldout|heldout2|heldout3|heldout4|heldout5|heldout6 ...]

Generates the outside set (`evals/outside_invoices`: thirty-seven Algerian layouts, L1–L4
dev, L5–L8 held-out, L9–L13 a second, L14–L19 a third, L20–L25 a fourth, L26–L31 a fifth and L32–L37 a sixth
blind held-out split; seeded defects,
truth per invoice) in
a temporary folder (`--split` keeps only the named splits, repeatable), runs
`khazna check-invoice FILE --json` on every PDF, and prints per split the findings'
precision, recall and F1, the number/date/total exactness and the per-field reading. The
ceiling, measured in the same run, is the same invoices checked as structured JSON (the
reading perfect). Targets (issue 11): held-out F1 ≥ 0.95 and precision ≥ 0.97.
"""

from __future__ import annotations

import sys

from khazna.evals.outside_invoices.score import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
