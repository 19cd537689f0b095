"""Demo ledgers for the evals: generated, imported once per run into a temporary folder.

Each (seed, as-of) pair is a different company history (amounts, clients, dates), so a
tool scored on two or three of them is not scored on one lucky draw.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from khazna.demo.generator import generate
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger

# Two to three histories: the default demo and two others (other seeds, other as-of days).
DEMO_CASES: list[tuple[int, date]] = [
    (7, date(2026, 10, 29)),
    (11, date(2026, 6, 30)),
    (23, date(2027, 2, 15)),
]


@dataclass
class DemoLedger:
    seed: int
    as_of: date
    path: Path
    truth: dict[str, Any]
    ledger: Any  # khazna.ledger.db.Ledger

    @property
    def name(self) -> str:
        return f"seed{self.seed}@{self.as_of.isoformat()}"


@cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="khazna-evals-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)  # bulky: never left behind
    return root


@cache
def demo_ledger(seed: int, as_of: date) -> DemoLedger:
    """The demo bundle for (seed, as_of), imported into a fresh SQLite ledger (cached per process)."""

    out = _root() / f"demo-{seed}-{as_of.isoformat()}"
    generate(out, seed=seed, as_of=as_of)
    ledger = Ledger(f"sqlite:///{out / 'ledger.db'}")
    import_bundle(ledger, out, replace=True)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return DemoLedger(seed=seed, as_of=as_of, path=out, truth=truth, ledger=ledger)


def demo_ledgers(n: int | None = None) -> list[DemoLedger]:
    return [demo_ledger(s, d) for s, d in DEMO_CASES[:n]]
