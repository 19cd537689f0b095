"""Wiring of the approval thread: await_approval → send | record_rejection."""

from __future__ import annotations

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


def thread_config(draft_id: str, deps: AgentDeps) -> dict:
    return {"configurable": {"thread_id": f"draft:{draft_id}", "deps": deps}}
