"""The dunning writer's nodes: select what is due, then write and queue one draft per client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from langchain_core.runnables import RunnableConfig

from khazna.agents.approval.graph import new_thread_id
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.compose import compose
from khazna.agents.dunning.facts import build_facts
from khazna.agents.dunning.leave_out import checker_warnings
from khazna.agents.dunning.model_writer import write_with_model
from khazna.agents.dunning.state import DraftSummary, DunningState, SkippedReminder
from khazna.agents.inbox import approval_threads
from khazna.agents.llm import fallback_note, within_budget
from khazna.agents.memory_link import cite
from khazna.calendar_dz import WorkingCalendar
from khazna.ledger.documents import piece_file_name
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.tools.client_state import claim_note, client_states
from khazna.tools.dunning import ReminderPlan, select_reminders
from khazna.tools.payment_profiles import payment_profiles


def select_due(state: DunningState, config: RunnableConfig) -> DunningState:
    deps = config["configurable"]["deps"]
    with deps.ledger.read() as s:
        sel = select_reminders(s, state["as_of"], client_id=state.get("client_id"))
    return {
        "plans": sel.plans,
        # Skipped's fields are SkippedReminder's keys (tests/test_state_types.py)
        "skipped": [cast(SkippedReminder, k.model_dump()) for k in sel.skipped],
    }


def draft_id_for(plan: ReminderPlan, as_of) -> str:
    return f"D{as_of:%Y%m%d}-{plan.client_id}-L{plan.level}"


def write_drafts(state: DunningState, config: RunnableConfig) -> DunningState:
    deps = config["configurable"]["deps"]
    as_of = state["as_of"]
    cal = WorkingCalendar.load()
    created: list[DraftSummary] = []
    calls = 0
    with deps.ledger.read() as s:
        profiles = payment_profiles(s, as_of)
        states = client_states(s, as_of)
    # one checkpointer and one compiled approval graph for all the drafts of the run; each
    # thread is committed at its interrupt before the next draft is written
    with approval_threads(deps) as start_thread:
        for plan in state.get("plans", []):
            draft_id = draft_id_for(plan, as_of)
            thread_id = new_thread_id(draft_id)
            with deps.ledger.session() as s:
                if s.get(Draft, draft_id) is not None:
                    continue  # same client, level and day: already drafted
                st = states.get(plan.client_id)
                facts = build_facts(s, plan, as_of, st, profiles.get(plan.client_id), cal)
                warnings = checker_warnings(s, [i.number for i in plan.invoices], as_of)
                # the letter never tells the client of them (the letter rules read a model's)
                facts.defective = list(dict.fromkeys(w["number"] for w in warnings))
                context = _context(st)
                model = (
                    within_budget(deps.model, deps.deadline, deps.model_clock)
                    if deps.model is not None
                    else None
                )
                if model is not None:
                    out = write_with_model(model, facts, context, callbacks=_callbacks(deps))
                    text, writer, note = out.value, out.writer, out.note
                    calls += out.calls
                elif deps.model is not None:  # the run's model budget is spent, or it is silent
                    text, writer, note = (
                        compose(facts),
                        "template_fallback",
                        fallback_note(deps.model_clock),
                    )
                else:
                    text, writer, note = compose(facts), "template", ""
                s.add(
                    Draft(
                        draft_id=draft_id,
                        run_id=state.get("run_id", ""),
                        as_of=as_of,
                        client_id=plan.client_id,
                        level=plan.level,
                        status=DraftStatus.PENDING_APPROVAL,
                        language=facts.language,
                        to_addrs=[plan.email] if plan.email else [],
                        cc_addrs=[],
                        subject=text.subject,
                        short=text.short,
                        detailed=text.detailed,
                        invoice_numbers=[i.number for i in plan.invoices],
                        attachments=[f"{i.number}.pdf" for i in plan.invoices]
                        + [piece_file_name(p.number, p.kind) for p in facts.pieces],
                        facts=facts.model_dump(mode="json"),
                        citations=_merge(
                            _citations(st) + _claims(st, [i.number for i in plan.invoices], as_of),
                            _memory_citations(deps, plan, as_of),
                        )
                        + warnings,
                        total=plan.total_open,
                        max_days_late=plan.max_days_late,
                        writer=writer,
                        writer_note=note
                        or (
                            ""
                            if plan.email
                            else "pas d'adresse email pour ce client : à envoyer par courrier"
                        ),
                        created_at=datetime.now(UTC).replace(tzinfo=None),
                        thread_id=thread_id,
                    )
                )
            start_thread(draft_id, thread_id)
            created.append(
                {
                    "draft_id": draft_id,
                    "client_id": plan.client_id,
                    "invoice_numbers": [i.number for i in plan.invoices],
                    "level": plan.level,
                    # graph state is checkpointed (msgpack): a plain str, not the enum
                    "status": DraftStatus.PENDING_APPROVAL.value,
                }
            )
    return {"drafts": created, "model_calls": calls}


def _merge(ledger_items: list[dict], memory_items: list[dict]) -> list[dict]:
    """Ledger citations first; memory hits add what they lack (text) and new records, once
    each (a memory hit never changes what the ledger says of a record, e.g. its kind)."""
    by_id = {c["id"]: dict(c) for c in ledger_items}
    for h in memory_items:
        item = by_id.setdefault(h["id"], {})
        for k, v in h.items():
            if v is not None and item.get(k) is None:
                item[k] = v
    return list(by_id.values())


def _claims(st, numbers: list[str], as_of) -> list[dict]:
    """Unconfirmed promises and disputes of the client: shown beside the draft for the owner
    to decide ("le client dit avoir promis de payer le 30/12/2026 — à confirmer"), never
    given to the writer."""
    if st is None:
        return []
    return [
        {
            "id": c.interaction_id,
            "date": c.made_on.isoformat(),
            "kind": "claim",
            "claim": c.kind,
            "promised_date": c.promised_date.isoformat() if c.promised_date else None,
            "unconfirmed": c.reason,
            "note": claim_note(c),
            "text": c.text,
        }
        for c in st.open_claims(numbers, as_of)
    ]


def _memory_citations(deps: AgentDeps, plan: ReminderPlan, as_of) -> list[dict]:
    hits = cite(deps.memory, plan.client_id, [i.number for i in plan.invoices], as_of)
    return [h for h in hits if h["source"] != "interaction"] + [
        {**h, "id": h["id"].removeprefix("interaction:")}
        for h in hits
        if h["source"] == "interaction"
    ]


def _callbacks(deps: AgentDeps) -> list:
    return [deps.usage] if deps.usage is not None else []


def _context(st) -> list[tuple[str, str]]:
    """The client's recent promises and disputes, as quoted data for the model."""
    if st is None:
        return []
    items = [(f"promesse {p.made_on:%d/%m/%Y}", p.text) for p in st.promises[-2:]]
    items += [(f"litige {d.opened_on:%d/%m/%Y}", d.text) for d in st.disputes[-2:]]
    return items


def _citations(st) -> list[dict]:
    """What the inbox shows beside the draft: the history the reminder rests on."""
    if st is None:
        return []
    out = [
        {
            "id": p.interaction_id,
            "date": p.made_on.isoformat(),
            "kind": "promise",
            "promised_date": p.promised_date.isoformat() if p.promised_date else None,
            "text": p.text,
        }
        for p in st.promises[-3:]
    ]
    out += [
        {"id": r.source, "date": r.on.isoformat(), "kind": "reminder", "level": r.level}
        for r in st.reminders[-3:]
    ]
    return out
