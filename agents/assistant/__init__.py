"""The accountant's assistant: questions over the ledger in French, Arabic or English.

:func:`answer_question` is the entry point (``khazna ask`` and the supervisor call it). Every
figure comes from a typed tool (:mod:`.tools`): with a model, the model picks the tool and
writes the prose, checked against the tool results (:mod:`.agent`); without one, or when the
model fails, the rule-based parser (:mod:`.parse`) picks the tool and a template writes the
answer (:mod:`.render`). A question neither understands gets an honest "not understood",
``value`` null and no items.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from khazna.agents.assistant.agent import ModelFailure, ask_model
from khazna.agents.assistant.parse import detect_language, parse_question
from khazna.agents.assistant.render import not_understood, render
from khazna.agents.assistant.tools import run_tool

log = logging.getLogger(__name__)

Writer = Literal["template", "model", "template_fallback"]


class Answer(BaseModel):
    """An answer whose figures can be traced: ``value`` and ``items`` come from a tool."""

    answer: str = Field(description="The answer text, in the question's language.")
    value: Decimal | int | None = Field(None, description="The headline figure, if any.")
    items: list[str] = Field(default_factory=list, description="Ids the answer rests on.")
    tools: list[str] = Field(default_factory=list, description="Tools used, in order.")
    language: Literal["fr", "ar", "en"] = "fr"
    question_kind: str | None = Field(None, description="What the question was read as.")
    writer: Writer = "template"
    note: str = ""


def answer_offline(session: Session, question: str, as_of: date, note: str = "") -> Answer:
    """The rule-based answer: parse the question, run one tool, render a template."""
    lang = detect_language(question)
    intent = parse_question(session, question, as_of)
    if intent is None:
        return Answer(answer=not_understood(lang), language=lang, note=note or "not understood")
    result = run_tool(session, as_of, intent.tool, intent.args)
    return Answer(
        answer=render(result, lang, as_of),
        value=result.value if result.found else None,
        items=result.items if result.found else [],
        tools=[intent.tool],
        language=lang,
        question_kind=intent.kind,
        writer="template",
        note="; ".join(x for x in (note, result.note) if x),
    )


def answer_question(
    session: Session,
    question: str,
    as_of: date,
    model: Any = None,
    callbacks: Sequence[Any] | None = None,
) -> Answer:
    """Answer ``question`` over the ledger as it stood on ``as_of``.

    ``model`` is a chat model supporting ``bind_tools`` (build it with
    :func:`khazna.agents.llm.build_chat_model`); None means offline: the rule-based parser
    answers. A model error falls back to the parser too, and ``note`` says why.
    """
    if model is None:
        return answer_offline(session, question, as_of)

    lang = detect_language(question)
    try:
        out = ask_model(session, question, as_of, model, lang, callbacks=callbacks)
    except ModelFailure as err:
        log.warning("assistant: model failed (%s), using the offline parser", err)
        return answer_offline(session, question, as_of, note=f"model failed: {err}")
    res = out.result
    found = res is not None and res.found
    return Answer(
        answer=out.text,
        value=res.value if found and res is not None else None,
        items=res.items if found and res is not None else [],
        tools=out.tools,
        language=lang,  # type: ignore[arg-type]
        question_kind=res.tool if res is not None else None,
        writer=out.writer,  # type: ignore[arg-type]
        note="; ".join(x for x in (out.note, res.note if res else "") if x),
    )


__all__ = ["Answer", "answer_offline", "answer_question"]
