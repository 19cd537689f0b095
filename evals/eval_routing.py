"""Supervisor routing eval: free requests (French, Arabic, English) → the expected specialist.

Offline, the rules (``route_by_rules``); with a model, ``route_by_model`` then the rules when
the model gives no usable answer (as the supervisor does). Scores: accuracy overall and per
language, and per specialist (recall: requests for it that reached it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

from khazna.agents.routes import route_by_rules
from khazna.agents.supervisor.routing import route_by_model
from khazna.evals.scoring import ratio

DATASET = Path(__file__).with_name("datasets") / "routing.yaml"


def load_requests() -> list[dict]:
    return yaml.safe_load(DATASET.read_text(encoding="utf-8"))["requests"]


def score(pairs: Sequence[tuple[dict, str]]) -> tuple[dict[str, float], list[dict]]:
    c: Counter = Counter()
    wrong = []
    for req, got in pairs:
        ok = got == req["expect"]
        for key in ("all", f"lang.{req['lang']}", f"to.{req['expect']}"):
            c[key] += 1
            c[f"ok:{key}"] += ok
        if not ok:
            wrong.append({"text": req["text"], "expect": req["expect"], "got": got})
    keys = ["all"] + sorted(k for k in c if not k.startswith("ok:") and k != "all")
    return {("accuracy" if k == "all" else k): ratio(c[f"ok:{k}"], c[k]) for k in keys}, wrong


def run(ctx) -> tuple[dict[str, float], dict]:
    reqs = load_requests()
    scores, wrong = score([(r, route_by_rules(r["text"])[0]) for r in reqs])
    out = {f"rules.{k}": v for k, v in scores.items()}
    detail: dict = {"requests": len(reqs), "rules_wrong": wrong}
    if ctx.model is not None:
        pairs, answered = [], 0
        for r in reqs:
            got = route_by_model(ctx.model, r["text"])
            answered += got is not None
            pairs.append((r, got[0] if got else route_by_rules(r["text"])[0]))
        mscores, mwrong = score(pairs)
        out.update({f"model.{k}": v for k, v in mscores.items()})
        out["model.answered"] = ratio(answered, len(reqs))
        detail["model_wrong"] = mwrong
    return out, detail
