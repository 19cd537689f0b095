"""The assistant as the supervisor calls it: the default route of a request."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from khazna.agents.assistant import answer_question
from khazna.agents.deps import AgentDeps


def answer(deps: AgentDeps, state, config: RunnableConfig) -> dict:
    with deps.ledger.read() as s:
        a = answer_question(
            s,
            state.get("request", ""),
            state["as_of"],
            model=deps.model,
            callbacks=[deps.usage] if deps.usage is not None else None,
        )
    return a.model_dump(mode="python")
