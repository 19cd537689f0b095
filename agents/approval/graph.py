"""Wiring of the approval thread: await_approval → send | record_rejection."""

from __future__ import annotations

import uuid

from langgraph.graph import END, START, StateGraph

from khazna.agents.approval.nodes import await_approval, record_rejection, send
from khazna.agents.approval.state import ApprovalState
from khazna.agents.deps import AgentDeps


def build_approval_graph(checkpointer):
    g = StateGraph(ApprovalState)
    g.add_node("await_approval", await_approval)
    g.add_node("send", send)
    g.add_node("record_rejection", record_rejection)
    g.add_edge(START, "await_approval")
    g.add_edge("send", END)
    g.add_edge("record_rejection", END)
    return g.compile(checkpointer=checkpointer, name="approval")


def new_thread_id(draft_id: str) -> str:
    """A thread id unique per draft instance: a draft id recreated after ``import --replace``
    (or a failed draft retried) never resumes a finished thread."""
    return f"draft:{draft_id}:{uuid.uuid4().hex[:12]}"


def thread_config(draft_id: str, deps: AgentDeps) -> dict:
    from khazna.ledger.tables_agents import Draft

    with deps.ledger.read() as s:
        d = s.get(Draft, draft_id)
        thread_id = (d.thread_id if d is not None else "") or f"draft:{draft_id}"
    return {"configurable": {"thread_id": thread_id, "deps": deps}}
