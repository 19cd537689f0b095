"""One pattern for every text a model writes: ask, check against the facts, retry once with
the problems, else keep the template's text and say why.

The dunning drafts and the weekly report's commentary ask with a system prompt and a request
(:func:`prompt`); the assistant hands over its tool conversation and the answer that ended
it (``answer=``), which is checked before any new call, and wants a model error raised as
:class:`ModelFailure` (its caller falls back to the offline parser) rather than the template.
What the loop says to the model, in its notes and in the log is a :class:`Wording`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from khazna.agents.factcheck import Problem
from khazna.agents.llm import describe_error

log = logging.getLogger(__name__)
T = TypeVar("T")


class ModelFailure(RuntimeError):
    """The model could not be used (an error, a timeout, no tool call)."""


class ModelTimeout(ModelFailure):
    """The model did not answer in time: a request timed out, or the budget was spent."""


@dataclass
class Checked(Generic[T]):
    value: T
    writer: str  # "model", "template_fallback" or "template"
    note: str = ""
    calls: int = 0  # the model calls this loop made
    problems: list[str | Problem] = field(default_factory=list)  # of the last check, if failed


@dataclass(frozen=True)
class Wording:
    """``rewrite`` asks the model again ({problems}: one ``- message`` a line); ``failed`` is
    the note when every attempt failed ({calls}, {summary}: the first four messages);
    ``corrected`` the note when a retry passed; ``retrying`` is logged (info) before a retry
    ({count}), ``failed`` after the last attempt when ``log_failure``."""

    rewrite: str
    failed: str
    corrected: str = ""
    retrying: str = ""
    log_failure: bool = True


FRENCH = Wording(
    rewrite="Problèmes :\n{problems}\n"
    "Réécris en n'utilisant que les faits, écrits exactement comme fournis.",
    failed="vérification des faits échouée après {calls} essais : {summary}",
)


def prompt(system: str, request: str) -> list[BaseMessage]:
    """The opening of a checked write: the system prompt, then the request."""
    return [SystemMessage(system), HumanMessage(request)]


def _message(problem: str | Problem) -> str:
    return problem.message if isinstance(problem, Problem) else problem


def _text(answer: Any) -> str:
    """A tool call is not a text (an unbound model never makes one)."""
    return "" if getattr(answer, "tool_calls", None) else str(answer.text).strip()


def checked_write(
    model: Any,
    messages: Sequence[BaseMessage],
    parse: Callable[[str], T | None],
    problems_of: Callable[[T], Sequence[str | Problem]],
    fallback: T,
    *,
    callbacks: list | None = None,
    attempts: int = 2,
    format_hint: str = "",
    answer: str | None = None,
    wording: Wording = FRENCH,
    on_model_error: Literal["fall_back", "raise"] = "fall_back",
    logger: logging.Logger = log,
) -> Checked[T]:
    """``parse`` turns the model's raw answer into a value (None: unusable format);
    ``problems_of`` lists what contradicts the facts (messages or
    :class:`~khazna.agents.factcheck.Problem`). ``answer``: the model's answer already at the
    end of ``messages``, checked as the first attempt without a call. A model error falls
    back at once, or is raised as :class:`ModelFailure` (``on_model_error="raise"``)."""
    conversation: list[BaseMessage] = list(messages)
    problems: Sequence[str | Problem] = []
    calls = 0
    for attempt in range(attempts):
        if attempt == 0 and answer is not None:
            raw = answer
        else:
            calls += 1
            try:
                reply = model.invoke(conversation, config={"callbacks": callbacks or []})
            except Exception as err:  # the model failing must not stop the run
                if on_model_error == "raise":
                    raise ModelFailure(describe_error(err)) from err
                note = f"erreur du modèle : {describe_error(err)}"
                return Checked(fallback, "template_fallback", note, calls, list(problems))
            raw = _text(reply)
            conversation.append(AIMessage(raw))
        value = parse(raw)
        problems = (
            [f"format attendu non respecté {format_hint}".strip()]
            if value is None
            else problems_of(value)
        )
        if value is not None and not problems:
            return Checked(value, "model", wording.corrected if attempt else "", calls)
        if attempt + 1 < attempts:
            if wording.retrying:
                logger.info(wording.retrying.format(count=len(problems)))
            listed = "\n".join(f"- {_message(p)}" for p in problems)
            conversation.append(HumanMessage(wording.rewrite.format(problems=listed)))
    summary = "; ".join(_message(p) for p in problems[:4])
    note = wording.failed.format(calls=calls, summary=summary)
    if wording.log_failure:
        logger.info(note)
    return Checked(fallback, "template_fallback", note, calls, list(problems))
