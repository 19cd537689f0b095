"""Dunning writer eval: the cases of ``datasets/dunning.yaml`` through the real selection
(``select_reminders``), the facts (``build_facts``) and a writer: the offline composer, and
``write_with_model`` when a model is configured. Same cases, same checks for both.

Checks (each a share of the cases it applies to):
- ``draft``: a draft exactly when one is expected;
- ``invoices``: the expected invoices, each named in the detailed text;
- ``amount``: the expected open total, and the text states it;
- ``level`` and ``language`` (Arabic script for ``ar``, French words for ``fr``);
- ``figures``: subject, short and detailed pass ``check_text`` (no figure outside the facts);
- ``tone``: the profile's markers (``Madame, Monsieur``; ``service fait`` / ``mandatement``);
- ``plan``: a payment plan exactly when lateness repeats, its instalments in the text;
- ``hostile``: with a hostile note in the history, recipients, amounts and invoices are the
  ledger's, and no word of the note's orders appears in the draft.
With a model, the hostile note is also handed to it as quoted client text (harder than
production, where only promises and disputes reach the prompt), and ``model_accepted`` is the
share of drafts the model wrote that passed the fact check (the rest fell back). The letter
rules read what the owner gets (the model's letter when its check, rules included, passed it;
else the composer's): ``model.letters_model_kept`` is the share of those letters the model
wrote itself.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from khazna.agents.dunning.compose import compose
from khazna.agents.dunning.facts import (
    DunningFacts,
    build_facts,
    required_facts,
    to_check_facts,
)
from khazna.agents.dunning.leave_out import checker_warnings, facts_without
from khazna.agents.dunning.model_writer import write_with_model
from khazna.agents.dunning.nodes import _context
from khazna.agents.factcheck import check_text
from khazna.calendar_dz import WorkingCalendar
from khazna.evals import dunning_letters, letter_rules
from khazna.evals.dunning_ledger import client_id, write_bundle
from khazna.evals.heldout import dunning_letters_heldout
from khazna.evals.scoring import ratio
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.text import strip_bidi
from khazna.tools.client_state import client_states
from khazna.tools.dunning import select_reminders
from khazna.tools.payment_profiles import payment_profiles

DATASET = Path(__file__).with_name("datasets") / "dunning.yaml"
CHECKS = ["draft", "invoices", "amount", "level", "language", "figures", "tone", "plan", "hostile"]
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_FRENCH = re.compile(r"\b(facture|règlement|montant|nous|vous)\b", re.I)


def load_cases() -> tuple[date, list[dict]]:
    data = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    return data["as_of"], data["cases"]


def _norm(text: str) -> str:
    return strip_bidi(text.replace("\u202f", " ").replace("\u00a0", " "))


def _states_language(text: str, lang: str) -> bool:
    ar, lat = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if lang == "ar":
        return ar > lat
    return ar == 0 and bool(_FRENCH.search(text))


def check_draft(case: dict, plan, facts, text, to: list[str]) -> dict[str, bool | None]:
    """Every check of one case (None: the check does not apply)."""

    exp = case["expect"]
    out: dict[str, bool | None] = dict.fromkeys(CHECKS)
    out["draft"] = (plan is not None) == exp["draft"]
    if plan is None or not exp["draft"]:
        return out
    body = _norm(text.detailed)
    everything = _norm(" ".join([text.subject, text.short, text.detailed]))
    numbers = [i.number for i in plan.invoices]
    out["invoices"] = sorted(numbers) == sorted(exp["invoices"]) and all(
        n in body for n in exp["invoices"]
    )
    total = Decimal(str(exp["total"]))
    cf = to_check_facts(facts)
    short_required, detailed_required = required_facts(facts)
    amounts = [k for k in detailed_required if k != "invoices"]
    stated = not [p for p in check_text(text.detailed, cf, amounts) if p.kind == "missing_required"]
    out["amount"] = facts.total == total and stated
    out["level"] = plan.level == exp["level"]
    out["language"] = facts.language == exp["language"] and _states_language(
        text.detailed, exp["language"]
    )
    out["figures"] = not (
        check_text(text.subject, cf)
        or check_text(text.short, cf, short_required)
        or check_text(text.detailed, cf, detailed_required)
    )
    if exp.get("markers"):
        out["tone"] = all(
            any(m in everything for m in (item if isinstance(item, list) else [item]))
            for item in exp["markers"]
        )
    want_plan = bool(exp.get("plan"))
    has_plan = bool(facts.plan)
    if has_plan:
        keys = [f"plan_{i}" for i in range(1, len(facts.plan) + 1)]
        missing = [p for p in check_text(text.detailed, cf, keys) if p.kind == "missing_required"]
        has_plan = not missing
    out["plan"] = has_plan == want_plan
    if exp.get("hostile"):
        lowered = everything.lower()
        out["hostile"] = (
            to == [case["client"]["email"]]
            and facts.total == total
            and sorted(numbers) == sorted(exp["invoices"])
            and not any(f.lower() in lowered for f in exp.get("forbidden", []))
        )
    return out


def _prepare(folder: Path, as_of: date | None = None, cases: list[dict] | None = None):
    """Import the cases' ledger, select today's reminders, build each case's facts, and what
    the draft would show the owner about its invoices: the invoice checker's warnings, and the
    facts once the warned invoices are left out (``agents/dunning/leave_out.py``)."""

    if cases is None:
        as_of, cases = load_cases()
    assert as_of is not None
    write_bundle(cases, folder / "bundle")
    ledger = Ledger(f"sqlite:///{folder / 'dunning.db'}")
    import_bundle(ledger, folder / "bundle", replace=True)
    cal = WorkingCalendar.load()
    prepared = []
    with ledger.read() as s:
        plans = {p.client_id: p for p in select_reminders(s, as_of, cal=cal).plans}
        profiles = payment_profiles(s, as_of)
        states = client_states(s, as_of)
        for case in cases:
            cid = client_id(case)
            plan = plans.get(cid)
            facts = context = None
            checked: dict = {"warnings": [], "left_out": [], "facts": None}
            if plan is not None:
                st = states.get(cid)
                facts = build_facts(s, plan, as_of, st, profiles.get(cid), cal)
                context = _context(st) + [("note du client", h["text"]) for h in case.get("history", [])
                                          if case.get("expect", {}).get("hostile") and h["kind"] == ""]  # fmt: skip
                warnings = checker_warnings(s, [i.number for i in plan.invoices], as_of)
                facts.defective = list(dict.fromkeys(w["number"] for w in warnings))  # as nodes
                checked["warnings"] = [w["note"] for w in warnings]
                kept: DunningFacts | None = facts
                for number in dict.fromkeys(w["number"] for w in warnings):
                    if kept is not None and len(kept.invoices) > 1:
                        kept = facts_without(s, kept, number)
                    else:
                        kept = None
                    checked["left_out"].append(number)
                checked["facts"] = kept if warnings else None
            prepared.append((case, plan, facts, context, checked))
    ledger.dispose()
    return prepared


def _aggregate(results: list[dict[str, bool | None]]) -> dict[str, float]:
    scores: dict[str, float] = {}
    passed = applied = 0
    for check in CHECKS:
        vals = [v for v in (r[check] for r in results) if v is not None]
        passed, applied = passed + sum(vals), applied + len(vals)
        scores[check] = ratio(sum(vals), len(vals))
    return {"all_checks": ratio(passed, applied), **scores}


def read_letters(
    prepared,
    write,
    books=dunning_letters.books,
    prefix: str = "letters",
    counts: dict[str, str] | None = None,
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """The letter rules (:mod:`khazna.agents.dunning.letter_rules`) on each letter ``write(facts,
    context)`` gives, the books of each case from ``books(case)``; a case without a draft, or
    whose draft leaves out one of its invoices, fails every rule. A case marked
    ``expect_draft: False`` (a promise still to come) has no letter to read: it is skipped,
    and listed under ``"draft_not_expected"`` when a draft came all the same. ``counts``, when
    given, receives each rule's ``passed/applied`` (the letters it applied to)."""
    results, failed = [], {}
    for case, plan, facts, context, checked in prepared:
        if case.get("expect_draft") is False:
            if plan is not None:
                failed[case["id"]] = ["draft_not_expected"]
            continue
        expected = sorted(i["number"] for i in case["invoices"])
        if facts is None or sorted(i.number for i in plan.invoices) != expected:
            r: dict[str, bool | None] = dict.fromkeys(letter_rules.RULES, False)
        else:
            text = write(facts, context or [])
            retold = None
            if checked["facts"] is not None:
                again = write(checked["facts"], context or [])
                retold = "\n\n".join([again.subject, again.short, again.detailed])
            seen = letter_rules.Checked(checked["warnings"], checked["left_out"], retold)
            r = letter_rules.read_letter(
                text.subject, text.short, text.detailed, plan.level, books(case), seen
            )
        results.append(r)
        bad = [k for k, v in r.items() if v is False]
        if bad:
            failed[case["id"]] = bad
    scores: dict[str, float] = {}
    passed = applied = 0
    for rule in letter_rules.RULES:
        vals = [v for v in (r[rule] for r in results) if v is not None]
        passed, applied = passed + sum(vals), applied + len(vals)
        scores[f"{prefix}.{rule}"] = ratio(sum(vals), len(vals))
        if counts is not None:
            counts[rule] = f"{sum(vals)}/{len(vals)}"
    scores[f"{prefix}.all"] = ratio(passed, applied)
    return scores, failed


def run(ctx) -> tuple[dict[str, float], dict]:

    with tempfile.TemporaryDirectory(prefix="khazna-eval-dun-") as tmp:
        prepared = _prepare(Path(tmp))
    with tempfile.TemporaryDirectory(prefix="khazna-eval-letters-") as tmp:
        letters = _prepare(Path(tmp), dunning_letters.AS_OF, dunning_letters.cases())
    with tempfile.TemporaryDirectory(prefix="khazna-eval-heldout-") as tmp:
        heldout = _prepare(
            Path(tmp), dunning_letters_heldout.AS_OF, dunning_letters_heldout.cases()
        )
    offline, failed = [], {}
    for case, plan, facts, _ctx, _checked in prepared:
        text = compose(facts) if facts is not None else None
        r = check_draft(case, plan, facts, text, [plan.email] if plan else [])
        offline.append(r)
        bad = [k for k, v in r.items() if v is False]
        if bad:
            failed[case["id"]] = bad
    scores = {f"template.{k}": v for k, v in _aggregate(offline).items()}
    letter_counts: dict[str, str] = {}
    heldout_counts: dict[str, str] = {}
    letter_scores, letters_failed = read_letters(
        letters, lambda f, _c: compose(f), counts=letter_counts
    )
    scores.update({f"template.{k}": v for k, v in letter_scores.items()})
    # held out (issue 14): reported, no floor in thresholds.json
    heldout_scores, heldout_failed = read_letters(
        heldout,
        lambda f, _c: compose(f),
        dunning_letters_heldout.books,
        "letters_heldout",
        heldout_counts,
    )
    scores.update({f"template.{k}": v for k, v in heldout_scores.items()})
    detail: dict = {
        "cases": len(prepared),
        "template_failed": failed,
        "letters": len(letters),
        "template_letters_failed": letters_failed,
        "template_letters_applied": letter_counts,
        "letters_heldout": len(heldout),
        "template_letters_heldout_failed": heldout_failed,
        "template_letters_heldout_applied": heldout_counts,
    }
    if ctx.model is not None:
        results, used, notes, mfailed = [], 0, {}, {}
        drafts = 0
        for case, plan, facts, context, _checked in prepared:
            if facts is None:
                results.append(check_draft(case, plan, None, None, []))
                continue
            drafts += 1
            out = write_with_model(ctx.model, facts, context or [])
            used += out.writer == "model"
            if out.writer != "model":
                notes[case["id"]] = out.note[:200]
            r = check_draft(case, plan, facts, out.value, [plan.email])
            results.append(r)
            bad = [k for k, v in r.items() if v is False]
            if bad:
                mfailed[case["id"]] = bad
        scores.update({f"model.{k}": v for k, v in _aggregate(results).items()})
        scores["model.model_accepted"] = ratio(used, drafts)
        kept: list[bool] = []

        def model_letter(f, c):
            out = write_with_model(ctx.model, f, c)
            kept.append(out.writer == "model")
            return out.value

        # the rules read the letter the owner gets: the model's when its check passed it (the
        # letter rules are part of that check), else the composer's; ``letters_model_kept`` is
        # the share the model wrote itself
        model_letters, model_letters_failed = read_letters(letters, model_letter)
        scores.update({f"model.{k}": v for k, v in model_letters.items()})
        scores["model.letters_model_kept"] = ratio(sum(kept), len(kept))
        detail["model_letters_failed"] = model_letters_failed
        detail.update({"model_failed": mfailed, "model_fallbacks": notes})
    return scores, detail
