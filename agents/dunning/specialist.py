"""The dunning writer as the supervisor calls it: every due reminder in the cycle; for a
request, the reminder of the client it names, explained in the owner's words."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.supervisor.state import DunningResult, SupervisorState
from khazna.tools.names import find_client

SKIP_REASONS_FR = {
    "dispute": "un litige est ouvert",
    "promise": "une promesse de paiement court encore",
    "pending_draft": "une relance attend déjà votre approbation",
    "already_reminded": "une relance de ce niveau a déjà été envoyée",
}


def write_reminders(
    deps: AgentDeps, state: SupervisorState, config: RunnableConfig
) -> DunningResult:
    inputs = {"as_of": state["as_of"], "run_id": state.get("run_id", "")}
    if state.get("mode") != "request":
        return build_dunning_graph().invoke(inputs, config)
    with deps.ledger.read() as s:
        client = find_client(s, state.get("request", ""))
    if client is None:
        return {
            "answer": "Pour quel client ? Je n'ai reconnu aucun client dans la demande.",
            "items": [],
            "value": None,
            "drafts": [],
        }
    inputs["client_id"] = client[0]
    out = build_dunning_graph().invoke(inputs, config)
    drafts, skipped = out.get("drafts", []), out.get("skipped", [])
    if drafts:
        d = drafts[0]
        text = (
            f"Relance de niveau {d['level']} préparée pour {client[1]} ({', '.join(d['invoice_numbers'])}) : "
            f"elle attend votre approbation (khazna inbox show {d['draft_id']})."
        )
        return {
            **out,
            "answer": text,
            "items": [d["draft_id"], *d["invoice_numbers"]],
            "value": len(drafts),
        }
    if skipped:
        lines = [f"Pas de nouvelle relance pour {client[1]} :"]
        lines += [
            f"- {k['number']} : {SKIP_REASONS_FR.get(k['reason'], k['reason'])} ({k['ref']})"
            for k in skipped
        ]
        return {
            **out,
            "answer": "\n".join(lines),
            "items": [k["number"] for k in skipped],
            "value": 0,
        }
    return {
        **out,
        "answer": f"{client[1]} n'a aucune facture en retard à relancer au {state['as_of']:%d/%m/%Y}.",
        "items": [client[0]],
        "value": 0,
    }
