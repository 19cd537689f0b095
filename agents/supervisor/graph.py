"""Wiring of the supervisor: supervisor → specialists (in parallel in the cycle, one for a
request) → finalize. Routing and iteration are bounded: one routing step, no loop back.
The specialists are the registry's (:mod:`khazna.agents.registry`)."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from khazna.agents.registry import SPECIALISTS
from khazna.agents.supervisor import nodes
from khazna.agents.supervisor.state import SupervisorState

RECURSION_LIMIT = 12


def build_supervisor_graph():
    g = StateGraph(SupervisorState)
    g.add_node("supervisor", nodes.supervisor)
    for entry in SPECIALISTS:
        g.add_node(entry.name, nodes.specialist_node(entry))
        g.add_edge(entry.name, "finalize")
    g.add_node("finalize", nodes.finalize, defer=True)
    g.add_edge(START, "supervisor")
    g.add_edge("finalize", END)
    return g.compile(name="supervisor")
