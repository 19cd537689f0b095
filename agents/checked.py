"""One pattern for every text a model writes: ask, check against the facts, retry once with
the problems, else keep the template's text and say why."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Checked(Generic[T]):
    value: T
    writer: str  # "model", "template_fallback" or "template"
    note: str = ""
    calls: int = 0


def checked_write(
    model: Any,
    system: str,
    request: str,
    parse: Callable[[str], T | None],
    problems_of: Callable[[T], list[str]],
    fallback: T,
    *,
    callbacks: list | None = None,
    attempts: int = 2,
    format_hint: str = "",
) -> Checked[T]:
    """``parse`` turns the model's raw answer into a value (None: unusable format);
    ``problems_of`` lists what contradicts the facts. Model errors fall back at once."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    from khazna.agents.llm import describe_error

    messages: list[Any] = [SystemMessage(system), HumanMessage(request)]
    problems: list[str] = []
    calls = 0
    for _ in range(attempts):
        calls += 1
        try:
            answer = model.invoke(messages, config={"callbacks": callbacks or []})
        except Exception as err:  # the model failing must not stop the run
            return Checked(
                fallback, "template_fallback", f"erreur du modèle : {describe_error(err)}", calls
            )
        raw = str(answer.text).strip()
        value = parse(raw)
        problems = (
            [f"format attendu non respecté {format_hint}".strip()]
            if value is None
            else problems_of(value)
        )
        if value is not None and not problems:
            return Checked(value, "model", "", calls)
        messages += [
            AIMessage(raw),
            HumanMessage(
                "Problèmes :\n- "
                + "\n- ".join(problems)
                + "\nRéécris en n'utilisant que les faits, écrits exactement comme fournis."
            ),
        ]
    note = f"vérification des faits échouée après {calls} essais : " + "; ".join(problems[:4])
    log.info(note)
    return Checked(fallback, "template_fallback", note, calls)
