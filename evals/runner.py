"""Run the evals, record one small JSON per run, compare two runs.

A run is ``{"date", "commit", "writer", "model", "base_url", "timings", "scores": {agent:
{name: score}}, "details": {...}}``; the key is never recorded. Results go to
``$KHAZNA_HOME/evals/<timestamp>-<writer>.json`` (:func:`results_dir`), outside the package,
or to the folder the caller names.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from khazna.config import Environ, Paths
from khazna.evals.demo_ledgers import DEMO_CASES, DemoLedger, demo_ledger
from khazna.filenames import inside

HERE = Path(__file__).parent
THRESHOLDS = HERE / "thresholds.json"

# agent -> module with ``run(ctx) -> (scores, details)``
AGENTS: dict[str, str] = {
    "invoice_checker": "khazna.evals.eval_invoices",
    "anomaly_analyst": "khazna.evals.eval_anomalies",
    "categorization": "khazna.evals.eval_categorize",
    "forecast": "khazna.evals.eval_forecast",
    "dunning_writer": "khazna.evals.eval_dunning",
    "supervisor_routing": "khazna.evals.eval_routing",
    "assistant": "khazna.evals.assistant_eval",
}


def results_dir(environ: Environ | None = None) -> Path:
    """Where runs are recorded and looked up by default: ``$KHAZNA_HOME/evals``."""
    return Paths.from_env(environ).evals


class EvalError(Exception):
    """A problem the user can act on (unknown agent, unreadable result file)."""


@dataclass
class EvalContext:
    model: Any = None  # a chat model, or None for the offline writers
    demo_cases: list = field(default_factory=lambda: list(DEMO_CASES))

    def demo(self, i: int = 0) -> DemoLedger:
        return demo_ledger(*self.demo_cases[i])

    def demos(self) -> list[DemoLedger]:
        return [demo_ledger(*c) for c in self.demo_cases]


def _assistant(ctx: EvalContext) -> tuple[dict[str, float], dict]:
    """The assistant on both splits (evals/assistant_eval.py), offline and with the model:
    exact rates, and right / unanswered / wrong per language. The held-out split's details
    name families and case numbers only (it must stay untuned)."""
    mod = importlib.import_module("khazna.evals.assistant_eval")
    keys = ("both_exact", "value_exact", "items_exact")
    scores: dict[str, float] = {}
    detail: dict[str, Any] = {}
    writers = [("offline", None)] + ([("model", ctx.model)] if ctx.model is not None else [])
    for writer, model in writers:
        for split, path in mod.SPLITS.items():
            res = mod.run(path, model=model)
            if split in mod.BLIND:
                res = mod.blind(res)
            # the dev split keeps its historical score names (offline.both_exact …)
            pre = writer if split == "dev" else f"{writer}.{split}"
            scores.update({f"{pre}.{k}": res[k] for k in keys})
            for lang, counts in res["by_language"].items():
                n = sum(counts.values()) or 1
                for outcome in mod.OUTCOMES:
                    scores[f"{writer}.{split}.{outcome}.{lang}"] = counts[outcome] / n
            for outcome in mod.OUTCOMES:
                scores[f"{writer}.{split}.{outcome}"] = res[outcome]
            detail[f"{writer}.{split}"] = {
                "cases": res["cases"],
                "by_language": res["by_language"],
                "by_kind": res["by_kind"],
                "failures": len(res["failures"]),
            }
    return scores, detail


def runner_of(agent: str) -> Callable[[EvalContext], tuple[dict[str, float], dict]]:
    if agent == "assistant":
        return _assistant
    return importlib.import_module(AGENTS[agent]).run


def available() -> list[str]:
    """The agents whose eval module is present (the assistant's is written separately)."""
    return [
        agent for agent, module in AGENTS.items() if importlib.util.find_spec(module) is not None
    ]


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def run_evals(
    only: list[str] | None = None, *, config=None, model: Any = None, progress=None
) -> dict:
    """Run the evals (all present ones, or ``only``) and return the run record."""
    agents = available()
    if only:
        unknown = [a for a in only if a not in AGENTS]
        if unknown:
            raise EvalError(f"unknown eval {', '.join(unknown)}: choose among {', '.join(AGENTS)}")
        missing = [a for a in only if a not in agents]
        if missing:
            raise EvalError(f"eval {', '.join(missing)} is not there (its module is missing)")
        agents = [a for a in agents if a in only]
    desc = (
        config.describe()
        if config is not None
        else {"writer": "offline", "model": None, "base_url": None}
    )
    ctx = EvalContext(model=model)
    record: dict[str, Any] = {
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "commit": git_commit(),
        "writer": desc["writer"],
        "model": desc.get("model"),
        "base_url": desc.get("base_url"),
        "timings": {},
        "scores": {},
        "details": {},
    }
    start = time.perf_counter()
    for agent in agents:
        t = time.perf_counter()
        scores, detail = runner_of(agent)(ctx)
        record["timings"][agent] = round(time.perf_counter() - t, 2)
        record["scores"][agent] = {k: round(float(v), 4) for k, v in scores.items()}
        record["details"][agent] = detail
        if progress:
            progress(agent, record["timings"][agent])
    record["timings"]["total"] = round(time.perf_counter() - start, 2)
    return record


def result_name(record: dict) -> str:
    stamp = (
        record["date"].replace("-", "").replace(":", "").replace("+0000", "").replace("+00:00", "")
    )
    writer = (
        "offline"
        if record["writer"] == "offline"
        else re.sub(r"[^A-Za-z0-9._-]+", "_", record["model"] or "model")
    )
    return f"{stamp}-{writer}.json"


def save(record: dict, folder: Path | None = None) -> Path:
    """Write the run record in ``folder`` (default :func:`results_dir`); returns its path."""
    folder = results_dir() if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = inside(folder, result_name(record))
    path.write_text(
        json.dumps(record, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    return path


def load(ref: str, folder: Path | None = None) -> tuple[Path, dict]:
    """A result file by path, by name in ``folder`` (default :func:`results_dir`), or
    ``last`` / ``prev`` (the newest / the one before in ``folder``)."""
    folder = results_dir() if folder is None else Path(folder)
    if ref in ("last", "prev"):
        files = sorted(folder.glob("*.json"))
        k = 1 if ref == "last" else 2
        if len(files) < k:
            need = "two results" if k == 2 else "a result"
            raise EvalError(
                f"`{ref}` needs {need} in {folder}, found {len(files)}: run `khazna eval` first"
            )
        path = files[-k]
    else:
        path = Path(ref)
        if not path.is_file() and (folder / ref).is_file():
            path = folder / ref
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise EvalError(f"{path}: cannot read ({err.strerror})") from None
    except json.JSONDecodeError as err:
        raise EvalError(
            f"{path}: line {err.lineno} column {err.colno}: not JSON ({err.msg})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("scores"), dict):
        raise EvalError(f"{path}: not a khazna eval result (no 'scores' object)")
    return path, data


def compare(a: dict, b: dict) -> list[dict]:
    """Every (agent, score) of either run with both values and the change b − a."""
    rows = []
    agents = list(dict.fromkeys([*a["scores"], *b["scores"]]))
    for agent in agents:
        sa, sb = a["scores"].get(agent, {}), b["scores"].get(agent, {})
        for name in dict.fromkeys([*sa, *sb]):
            va, vb = sa.get(name), sb.get(name)
            delta = round(vb - va, 4) if va is not None and vb is not None else None
            rows.append({"agent": agent, "score": name, "a": va, "b": vb, "delta": delta})
    return rows


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    """The floors: per agent, the least each score may be."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_") and k != "ceilings"}


def load_ceilings(path: Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    """The ceilings: per agent, the most a score may be (rates of wrong answers)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("ceilings", {}))


def above_ceilings(record: dict, ceilings: dict[str, dict[str, float]]) -> list[str]:
    """Scores over their ceiling (a ceiling whose score is missing counts as over)."""
    out = []
    for agent, limits in ceilings.items():
        if agent not in record["scores"]:
            continue
        for name, limit in limits.items():
            got = record["scores"][agent].get(name)
            if got is None or got > limit:
                out.append(f"{agent}.{name} = {got} > {limit}")
    return out


def below_thresholds(record: dict, thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Scores under their threshold (a threshold whose score is missing counts as under)."""
    out = []
    for agent, limits in thresholds.items():
        if agent not in record["scores"]:
            continue
        for name, limit in limits.items():
            got = record["scores"][agent].get(name)
            if got is None or got < limit:
                out.append(f"{agent}.{name} = {got} < {limit}")
    return out
