"""Score the accountant's assistant on ``datasets/assistant.yaml`` (the demo ledger).

    .venv/bin/python -m khazna.evals.assistant_eval [--dataset PATH] [--show-failures]

Prints one JSON document: the scores, the writer (offline parser or model) and the dataset's
ledger (seed, as-of day). Scores, each in [0, 1]:

- ``value_exact``: the answer's ``value`` equals the expected one to the centime (a null
  expected value must be null: an unknown question must not get a figure);
- ``items_exact``: the answer's ``items`` are exactly the expected ids (as a set; in order
  for rankings such as top clients);
- ``both_exact``: both at once, the figure that counts.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from khazna.agents.assistant import answer_question
from khazna.evals.build_assistant_dataset import DATASET, demo_ledger


def load_cases(path: Path = DATASET) -> tuple[dict, list[dict]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return doc.get("ledger", {}), doc["cases"]


def value_ok(got: Any, expected: Any) -> bool:
    if expected is None or got is None:
        return got is None and expected is None
    return Decimal(str(got)) == Decimal(str(expected))


def items_ok(got: Sequence[str], expected: Sequence[str], ordered: bool) -> bool:
    return list(got) == list(expected) if ordered else sorted(got) == sorted(expected)


def score(cases: list[dict], answer_fn: Callable[[str], Any]) -> dict:
    """Exact-match rates of ``value`` and ``items`` of ``answer_fn(question)`` over ``cases``;
    ``answer_fn`` returns anything with ``value`` and ``items`` (an Answer, a dict)."""
    n = len(cases)
    value_hits = items_hits = both = 0
    by_kind: dict[str, list[int]] = {}
    failures = []
    for case in cases:
        a = answer_fn(case["question"])
        got_v = a["value"] if isinstance(a, dict) else a.value
        got_i = a["items"] if isinstance(a, dict) else a.items
        v = value_ok(got_v, case["value"])
        i = items_ok(got_i, case["items"], case.get("ordered", False))
        value_hits += v
        items_hits += i
        both += v and i
        k = by_kind.setdefault(case["kind"], [0, 0])
        k[0] += v and i
        k[1] += 1
        if not (v and i):
            failures.append({"question": case["question"], "expected": case["value"],
                             "got": None if got_v is None else str(got_v),
                             "items_ok": i, "n_items": [len(got_i), len(case["items"])]})  # fmt: skip
    rate = (lambda x: round(x / n, 4)) if n else (lambda x: 0.0)
    return {
        "cases": n,
        "value_exact": rate(value_hits),
        "items_exact": rate(items_hits),
        "both_exact": rate(both),
        "by_kind": {k: f"{ok}/{tot}" for k, (ok, tot) in sorted(by_kind.items())},
        "failures": failures,
    }


def run(dataset: Path = DATASET, model: Any = None) -> dict:
    """Rebuild the dataset's demo ledger, answer every question, score."""

    ledger_info, cases = load_cases(dataset)
    as_of = date.fromisoformat(ledger_info["as_of"])
    with tempfile.TemporaryDirectory() as tmp:
        ledger = demo_ledger(Path(tmp), seed=int(ledger_info["demo_seed"]), as_of=as_of)
        with ledger.read() as s:
            result = score(cases, lambda q: answer_question(s, q, as_of, model=model))
        ledger.dispose()
    result["writer"] = "offline parser" if model is None else "model"
    result["ledger"] = ledger_info
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="score the accountant's assistant")
    ap.add_argument("--dataset", type=Path, default=DATASET)
    ap.add_argument("--show-failures", action="store_true")
    args = ap.parse_args(argv)
    result = run(args.dataset)
    if not args.show_failures:
        result["failures"] = len(result["failures"])
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
