"""Wiring of the dunning writer: select_due → write_drafts."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from khazna.agents.dunning.nodes import select_due, write_drafts
from khazna.agents.dunning.state import DunningOutput, DunningState


def build_dunning_graph():
    g = StateGraph(DunningState, output_schema=DunningOutput)
    g.add_node("select_due", select_due)
    g.add_node("write_drafts", write_drafts)
    g.add_edge(START, "select_due")
    g.add_edge("select_due", "write_drafts")
    g.add_edge("write_drafts", END)
    return g.compile(name="dunning")
