"""The assistant as the supervisor calls it: the default route of a request."""

from __future__ import annotations

from typing import cast

from langchain_core.runnables import RunnableConfig

from khazna.agents.assistant import answer_question
from khazna.agents.deps import AgentDeps
from khazna.agents.supervisor.state import AssistantAnswer, SupervisorState


def answer(deps: AgentDeps, state: SupervisorState, config: RunnableConfig) -> AssistantAnswer:
    with deps.ledger.read() as s:
        a = answer_question(
            s,
            state.get("request", ""),
            state["as_of"],
            model=deps.model,
            callbacks=[deps.usage] if deps.usage is not None else None,
            deadline=deps.deadline,
        )
    # Answer's fields are AssistantAnswer's keys (tests/test_state_types.py)
    return cast(AssistantAnswer, a.model_dump(mode="python"))
