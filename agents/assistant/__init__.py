"""The accountant's assistant: questions over the ledger in French, Arabic or English.

:func:`answer_question` is the entry point (``khazna ask`` and the supervisor call it). Every
figure comes from a typed tool (:mod:`.tools`): with a model, the model picks the tool and
writes the prose, checked against the tool results (:mod:`.agent`); without one, or when the
model fails, the reader (:mod:`.read`, over the lexicon of :mod:`.lexicon`) turns the question
into a typed :class:`~.query.Query`, the one executor (:mod:`.query`) computes it and a template
writes the answer (:mod:`.render`, :mod:`.understood`). Every offline answer starts with how
the question was read ("Compris : …"). A question it cannot read, or whose name it cannot
resolve, gets an honest answer saying what was not understood, ``value`` null and no items.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from khazna.agents.assistant.lexicon import detect_language
from khazna.agents.assistant.query import Query, QueryResult, execute, from_tool_call
from khazna.agents.assistant.read import Reading, read_question, unresolved_text
from khazna.agents.assistant.render import not_found, not_understood, render
from khazna.agents.assistant.tools import ToolResult
from khazna.agents.assistant.understood import answer_text, describe

log = logging.getLogger(__name__)

Writer = Literal["template", "model", "template_fallback"]


class Answer(BaseModel):
    """An answer whose figures can be traced: ``value`` and ``items`` come from a tool."""

    answer: str = Field(description="The answer text, in the question's language.")
    value: Decimal | int | date | None = Field(
        None, description="The headline figure, if any (a day for 'quand … dernier')."
    )
    items: list[str] = Field(default_factory=list, description="Ids the answer rests on.")
    tools: list[str] = Field(default_factory=list, description="Tools used, in order.")
    language: Literal["fr", "ar", "en"] = "fr"
    question_kind: str | None = Field(None, description="What the question was read as.")
    writer: Writer = "template"
    note: str = ""
    understood: str = Field("", description="How the question was read, in its language.")
    query: dict[str, Any] | None = Field(None, description="The typed query executed.")
    unresolved: list[str] = Field(
        default_factory=list, description="Names, dates or measures that were not understood."
    )
    verdict: str | None = Field(
        None,
        description="The answer of a yes/no question of the forecast ('can we pay the salaries "
        "this month?'): its status, ok / a_surveiller / tension; ``value`` is the lowest "
        "balance it rests on.",
    )


_NOT_READ = {
    "fr": "Compris : rien que je sache calculer.",
    "ar": "فهمت: لا شيء أعرف حسابه.",
    "en": "Understood: nothing I know how to compute.",
}


def _body(q: Query, r: QueryResult, lang: str, as_of: date) -> str:
    if r.tool_result is not None:
        day = q.on or as_of  # the day the question named ("au 31/03"), else the as-of day
        return not_found(r.tool_result, lang) if not r.found else render(r.tool_result, lang, day)
    return answer_text(q, r, lang, as_of)


def answer_offline(session: Session, question: str, as_of: date, note: str = "") -> Answer:
    """The reader's answer: read the question into a query, execute it, write a template."""
    lang = detect_language(question)
    reading: Reading = read_question(session, question, as_of)
    q = reading.query
    understood = describe(q, lang, as_of) if q is not None else _NOT_READ[lang]
    query = q.model_dump(mode="json", exclude_defaults=True) if q is not None else None
    missing = reading.unresolved + ["?" + w for w in reading.unread]
    if missing or q is None:
        why = unresolved_text(session, missing, lang) if missing else ""
        return Answer(
            answer="\n".join(x for x in (understood, why or not_understood(lang)) if x),
            language=lang,  # type: ignore[arg-type]
            question_kind=reading.kind,
            understood=understood,
            query=query,
            unresolved=reading.unresolved + reading.unread,
            note=note or ("unresolved" if missing else "not understood"),
        )
    result = execute(session, q, as_of)
    return Answer(
        answer=f"{understood}\n{_body(q, result, lang, as_of)}",
        value=result.value if result.found else None,
        items=result.items if result.found else [],
        tools=result.tools,
        language=lang,  # type: ignore[arg-type]
        question_kind=reading.kind,
        writer="template",
        note="; ".join(x for x in (note, result.note) if x),
        understood=understood,
        query=query,
        verdict=_verdict(q, result),
    )


def _verdict(q: Query | None, r: QueryResult | None) -> str | None:
    """The forecast's status, when the question asked whether (aggregation ``status``)."""
    ok = q is not None and r is not None and r.found and q.measure == "forecast"
    return (
        r.status if ok and q is not None and r is not None and q.aggregation == "status" else None
    )


def answer_question(
    session: Session,
    question: str,
    as_of: date,
    model: Any = None,
    callbacks: Sequence[Any] | None = None,
    deadline: float | None = None,
) -> Answer:
    """Answer ``question`` over the ledger as it stood on ``as_of``.

    ``model`` is a chat model supporting ``bind_tools`` (build it with
    :func:`khazna.agents.llm.build_chat_model`); None means offline: the rule-based parser
    answers. A model error falls back to the parser too, and ``note`` says why; so does a model
    that did not answer by ``deadline`` (``time.monotonic()``; default: the question's budget,
    :func:`khazna.config.model_limits`).
    """
    if model is None:
        return answer_offline(session, question, as_of)
    # lazy: the model path loads langchain-core (0.3 s); an offline question must not
    # (benchmarks/bench_ask.py)
    from khazna.agents.assistant.agent import ask_model
    from khazna.agents.checked import ModelFailure, ModelTimeout

    lang = detect_language(question)
    try:
        out = ask_model(
            session, question, as_of, model, lang, callbacks=callbacks, deadline=deadline
        )
    except ModelTimeout as err:
        log.warning("assistant: model did not answer in time (%s), using the offline parser", err)
        note = "le modèle n'a pas répondu à temps : réponse calculée hors ligne"
        return answer_offline(session, question, as_of, note=note)
    except ModelFailure as err:
        log.warning("assistant: model failed (%s), using the offline parser", err)
        return answer_offline(session, question, as_of, note=f"model failed: {err}")
    res = out.result
    found = res is not None and res.found
    q = _model_query(res, out.args, as_of)
    return Answer(
        answer=out.text,
        value=res.value if found and res is not None else None,
        items=res.items if found and res is not None else [],
        tools=out.tools,
        language=lang,  # type: ignore[arg-type]
        question_kind=res.tool if res is not None else None,
        writer=out.writer,  # type: ignore[arg-type]
        note="; ".join(x for x in (out.note, res.note if res else "") if x),
        understood=describe(q, lang, as_of) if q is not None else "",
        query=q.model_dump(mode="json", exclude_defaults=True) if q is not None else None,
        verdict=_model_verdict(q, res),
    )


def _model_verdict(q: Query | None, res: ToolResult | None) -> str | None:
    """The verdict of a yes/no forecast question the model filled as a typed query."""
    from khazna.agents.assistant.model_tools import QueryToolResult

    if q is None or not isinstance(res, QueryToolResult) or q.aggregation != "status":
        return None
    return res.status if res.found else None


def _model_query(res: ToolResult | None, args: dict[str, Any], as_of: date) -> Query | None:
    """The typed query of the model's headline tool call (None if it cannot be typed)."""
    if res is None:
        return None
    from khazna.agents.assistant.model_tools import QueryToolResult, SqlResult

    if isinstance(res, QueryToolResult):
        return res.typed
    if isinstance(res, SqlResult):
        return None
    try:
        return from_tool_call(res.tool, args, as_of)
    except (ValueError, KeyError, TypeError, ValidationError):
        return None


__all__ = ["Answer", "answer_offline", "answer_question"]
