"""The letter rules, read by the dunning eval: they belong to the dunning agent, whose writer
runs them on every letter a model writes (``agents/dunning/letter_rules.py``); evals import
them from here (evals may import agents, never the reverse)."""

from khazna.agents.dunning.letter_rules import (
    RULES,
    Books,
    Checked,
    Exchange,
    check_checker,
    check_deadline,
    check_history,
    check_notice_scope,
    check_public_body,
    check_register,
    check_service_fait,
    check_silent,
    read_letter,
    read_written,
)

__all__ = [
    "RULES",
    "Books",
    "Checked",
    "Exchange",
    "check_checker",
    "check_deadline",
    "check_history",
    "check_notice_scope",
    "check_public_body",
    "check_register",
    "check_service_fait",
    "check_silent",
    "read_letter",
    "read_written",
]
