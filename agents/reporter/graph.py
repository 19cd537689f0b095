"""Wiring of the weekly reporter: gather → write → store → send."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from khazna.agents.reporter.nodes import gather, send, store, write
from khazna.agents.reporter.state import ReporterOutput, ReporterState


def build_reporter_graph():
    g = StateGraph(ReporterState, output_schema=ReporterOutput)
    for name, fn in (("gather", gather), ("write", write), ("store", store), ("send", send)):
        g.add_node(name, fn)
    g.add_edge(START, "gather")
    g.add_edge("gather", "write")
    g.add_edge("write", "store")
    g.add_edge("store", "send")
    g.add_edge("send", END)
    return g.compile(name="weekly_reporter")
