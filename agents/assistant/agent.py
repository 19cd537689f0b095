"""The model path: a tool-calling loop whose figures come from the tools, not the model.

The model picks tools and arguments (at most :data:`MAX_TOOL_ROUNDS` rounds); ``value`` and
``items`` are copied from the last relevant tool result; the model's prose is checked with
:func:`khazna.agents.factcheck.check_text` against every figure of the tool results. A failed
check is retried once with the problems, then the template answer built from the tool result
replaces the prose (``writer="template_fallback"``): the one checked write of
:mod:`khazna.agents.checked`, handed the tool conversation. A model error raises
:class:`ModelFailure`, and the caller falls back to the offline parser.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from pydantic import BaseModel
from sqlalchemy.orm import Session

from khazna import prompts
from khazna.agents.assistant.model_tools import QueryToolResult, SqlResult, make_model_tools
from khazna.agents.assistant.render import render
from khazna.agents.assistant.tools import ToolResult
from khazna.agents.checked import ModelFailure, ModelTimeout, Wording, checked_write
from khazna.agents.factcheck import Facts, Problem, check_text
from khazna.agents.llm import BudgetSpent, bounded, describe_error, is_timeout
from khazna.config import model_limits

log = logging.getLogger(__name__)

MAX_TOOL_ROUNDS = 4
LANGUAGE_NAMES = {"fr": "French", "ar": "Arabic", "en": "English"}
# What the checked write (khazna.agents.checked) says to the model, in the note and the log.
WORDING = Wording(
    rewrite="Your answer has these problems:\n{problems}\n"
    "Rewrite it using only the figures of the tool results, written exactly.",
    failed="the model's answer failed the fact check twice ({summary})",
    corrected="model answer corrected on the second try",
    retrying="assistant: {count} problem(s) in the model's answer, retrying",
    log_failure=False,
)


class ModelOutcome(BaseModel):
    text: str
    result: ToolResult | None
    tools: list[str]
    args: dict[str, Any] = {}  # the arguments of the call that gave ``result``
    writer: str
    note: str = ""
    problems: list[Problem] = []


def system_prompt(as_of: date, language: str) -> str:
    text = prompts.load("assistant", "system")
    return text.format(as_of=as_of.isoformat(), language_name=LANGUAGE_NAMES[language])


def _walk(obj: Any, facts: dict[str, list], key: str = "") -> None:
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="python")
    if isinstance(obj, dict):
        for k, v in obj.items():
            _walk(v, facts, str(k))
    elif isinstance(obj, list | tuple):
        for v in obj:
            _walk(v, facts, key)
    elif isinstance(obj, bool) or obj is None:
        return
    elif isinstance(obj, Decimal):
        facts["amounts"].append(obj)
        facts["rates"].append(obj)
    elif isinstance(obj, int):
        facts["counts"].append(obj)
    elif isinstance(obj, date):
        facts["dates"].append(obj)
    elif isinstance(obj, str) and obj and key in ("items", "number", "expense_id", "payment_id"):
        facts["ids"].append(obj)
    elif isinstance(obj, str) and obj and key.endswith("name"):
        facts["names"].append(obj)


def facts_of(results: Sequence[ToolResult], headline: ToolResult | None) -> Facts:
    """Every figure the tool results hold; ``value`` is the headline's value."""
    found: dict[str, list] = {
        k: [] for k in ("amounts", "rates", "counts", "dates", "ids", "names")
    }
    for r in results:
        _walk(r, found)
        if isinstance(r.value, Decimal) or isinstance(r.value, int):
            found["counts"].append(len(r.items))
    facts = Facts(**{k: {"all": v} for k, v in found.items() if v})
    if headline is not None and headline.value is not None:
        if isinstance(headline.value, Decimal):
            facts.amounts["value"] = headline.value
        elif isinstance(headline.value, date):
            facts.dates["value"] = headline.value
        else:
            facts.counts["value"] = int(headline.value)
    return facts


def template_of(result: ToolResult, language: str, as_of: date) -> str:
    """The offline wording of a tool result: what replaces prose that fails the check."""
    if isinstance(result, QueryToolResult | SqlResult):
        return result.template(language, as_of)
    return render(result, language, as_of)


def headline_of(results: Sequence[ToolResult]) -> ToolResult | None:
    """The last result that found what it was asked about, else the last one."""
    for r in reversed(results):
        if r.found:
            return r
    return results[-1] if results else None


def ask_model(
    session: Session,
    question: str,
    as_of: date,
    model: Any,
    language: str,
    *,
    callbacks: Sequence[Any] | None = None,
    max_rounds: int = MAX_TOOL_ROUNDS,
    deadline: float | None = None,
) -> ModelOutcome:
    """Run the tool loop; raises :class:`ModelFailure` when the model cannot be used, and
    :class:`ModelTimeout` when it did not answer by ``deadline`` (a ``time.monotonic()``;
    default: :func:`khazna.config.model_limits` ``.question_s`` from now), all its calls
    and retries included."""
    tools = make_model_tools(session, as_of)
    by_name = {t.name: t for t in tools}
    config = {"callbacks": list(callbacks)} if callbacks else {}
    if deadline is None:
        deadline = time.monotonic() + model_limits().question_s

    def invoke(bound: Any, msgs: list[Any]) -> Any:
        try:
            return bounded(bound, deadline).invoke(msgs, config=config)
        except Exception as err:  # any client failure: the offline parser answers instead
            if is_timeout(err):
                raise ModelTimeout(describe_error(err)) from err
            raise ModelFailure(describe_error(err)) from err

    try:
        bound = model.bind_tools(tools)
    except Exception as err:
        raise ModelFailure(f"the model cannot call tools: {describe_error(err)}") from err
    msgs: list[Any] = [SystemMessage(system_prompt(as_of, language)), HumanMessage(question)]
    results: list[ToolResult] = []
    used: list[str] = []
    call_args: list[dict[str, Any]] = []
    text: str | None = None
    for _ in range(max_rounds):
        ai = invoke(bound, msgs)
        msgs.append(ai)
        if not ai.tool_calls:
            text = str(ai.text).strip()
            break
        for call in ai.tool_calls:
            tool = by_name.get(call["name"])
            if tool is None:
                msgs.append(ToolMessage(f"error: no tool {call['name']!r}", tool_call_id=call["id"],
                                        status="error"))  # fmt: skip
                continue
            try:
                msg = tool.invoke(call)
            except Exception as err:  # bad arguments: tell the model, let it try again
                msgs.append(ToolMessage(f"error: {err}", tool_call_id=call["id"], status="error"))
                continue
            msgs.append(msg)
            results.append(msg.artifact)
            used.append(call["name"])
            call_args.append(dict(call.get("args") or {}))
    if not results:
        raise ModelFailure("the model answered without calling a tool")
    head = headline_of(results)
    assert head is not None
    head_args = next((a for r, a in zip(results, call_args, strict=True) if r is head), {})
    template = template_of(head, language, as_of)
    if text is None:
        return ModelOutcome(text=template, result=head, tools=used, args=head_args, writer="template_fallback",
                            note=f"no final answer after {max_rounds} tool rounds")  # fmt: skip
    facts = facts_of(results, head)
    required = ["value"] if head.value is not None and head.found else []
    try:
        rewriter, attempts = bounded(bound, deadline), 2
    except BudgetSpent:  # no time for a rewrite: a failed check keeps the template
        rewriter, attempts = bound, 1
    out = checked_write(
        rewriter,
        msgs,
        lambda raw: raw,
        lambda prose: check_text(prose, facts, required),
        template,
        callbacks=list(callbacks) if callbacks else None,
        answer=text,
        attempts=attempts,
        wording=WORDING,
        on_model_error="raise",
        logger=log,
    )
    return ModelOutcome(
        text=out.value,
        result=head,
        tools=used,
        args=head_args,
        writer=out.writer,
        note=out.note,
        problems=[p for p in out.problems if isinstance(p, Problem)],
    )
