"""The CLI's commands: one table of every command, one module per command family.

``khazna --help`` reads only :data:`COMMANDS`; a family module (``register(subparsers)``
plus the commands' bodies, with their imports at the top) is imported when one of its
commands runs, so each command loads only what it uses and ``--help`` stays fast. A new
command is a row here and a parser in its family's ``register``;
``tests/test_cli_table.py`` keeps the two in step.

Lazy imports, measured (``python -X importtime`` on the 2-core reference machine): a family
that serves several commands imports, inside the command that needs it, what costs start-up
time and only that command uses: ``khazna.agents.run`` 2.1 s (langgraph, langchain),
``khazna.agents.inbox`` 1.9 s, ``khazna.agents.reporter`` 1.8 s, ``khazna.ledger.db`` 0.7 s
(SQLAlchemy, alembic), ``khazna.mail.outbox`` 0.4 s, ``khazna.tools.receipts`` 0.6 s. Core
modules (``khazna.config``, ``khazna.money``, the standard library) are imported at the top.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Command:
    name: str
    family: str  # the module of khazna.commands that registers and runs it
    summary: str  # the help line of `khazna --help` and of `khazna NAME --help`


COMMANDS: tuple[Command, ...] = (
    Command(
        "demo",
        "demo_cmd",
        "create a demo company (Atlas Services SARL, 18 months of books) and load it",
    ),
    Command("import", "ledger_cmds", "import a ledger bundle (a folder, see spec/bundle.md)"),
    Command("export", "ledger_cmds", "write the ledger as a bundle folder"),
    Command(
        "status", "ledger_cmds", "the ledger at a glance: counts, cash position, open receivables"
    ),
    Command(
        "import-bank",
        "bank_cmd",
        "importer un relevé bancaire (CSV, XLSX ou PDF), toutes les lignes ou aucune",
    ),
    Command(
        "aging",
        "finance_cmds",
        "the aged balance of receivables (balance âgée) per client and bucket (not_due, 1_30, 31_60, 61_90, over_90 days past due; due today = not_due). Open amount = total TTC − cleared payments allocated − credit notes. DSO = open receivables / credit sales of the last 90 days × 90.",
    ),
    Command(
        "forecast",
        "finance_cmds",
        "the cash forecast day by day from the position at the end of --as-of: open invoices at the date each client's history predicts, commitments, learned recurring outflows, everyday spending and everyday takings (credits no recorded payment explains, e.g. counter sales) with the seasons learned from the books (Ramadan, before the Aïds, August); status ok / a_surveiller (below the threshold) / tension (negative)",
    ),
    Command(
        "placement",
        "placement_cmd",
        "excess cash to place: the largest amount for 30/90/180 days that keeps the lowest forecast path above the threshold, the interest of each product of policy.json; record a placement made (add, list, remove) so that an alert says when it must be brought back (rapatrier)",
    ),
    Command(
        "backtest",
        "finance_cmds",
        "replay the forecast at past cut-off dates with only what was known then, and print its mean absolute error against two baselines (balance held flat, last 30 days repeated)",
    ),
    Command(
        "categorize",
        "analysis_cmds",
        "categorise every bank line and match it with payments, expenses, commitments",
    ),
    Command(
        "anomalies",
        "analysis_cmds",
        "find duplicate payments, policy breaches, outliers and unknown payees",
    ),
    Command(
        "check-invoice",
        "check_invoice_cmd",
        "check invoices against the Algerian rules (mentions, identifiers, totals, timbre)",
    ),
    Command(
        "run",
        "agents_cmds",
        "the weekly cycle: check, analyse, draft reminders, report (via the supervisor)",
    ),
    Command(
        "inbox",
        "agents_cmds",
        "the owner's approval queue: list, show, approve, edit, reject, set-channel, mark-sent",
    ),
    Command(
        "report", "agents_cmds", "the weekly cash report for the working week ending on --as-of"
    ),
    Command(
        "ask",
        "agents_cmds",
        'ask in French, Arabic or English ("total des créances de plus de 60 jours ?")',
    ),
    Command(
        "schedule",
        "schedule_cmd",
        "the daily automation: on each working day (Sun-Thu, no holidays) at --at, the cycle (reminders; the weekly report on the last working day), alerts, receipt reminders",
    ),
    Command(
        "receipts",
        "receipts_cmd",
        "receipts (justificatifs): list the missing ones per person, send the weekly reminders, attach a file (PDF, JPEG, PNG, 10 MB max) to an expense, manage people's emails",
    ),
    Command(
        "export-accounting",
        "accounting_cmd",
        "the accountant's export: the journal of the period in SCF accounts (VT ventes, AC achats, BQ banque, CA caisse), as CSV (';', decimal comma) or XLSX",
    ),
    Command(
        "replies",
        "replies_cmd",
        "clients' replies to weigh: those that pause nothing by themselves (sender not authenticated, no invoice of the client) and the quarantined messages; confirm one",
    ),
    Command("mail-outbox", "mail_cmd", "list outgoing mail and its delivery state"),
    Command("mail-retry", "mail_cmd", "send the outgoing mail that is due"),
    Command(
        "client",
        "client_cmd",
        "clients' reminder channel: list, show, set-channel (email, whatsapp, sms)",
    ),
    Command("user", "user_cmd", "manage the web app's users (owner, accountant)"),
    Command("serve", "serve_cmd", "serve the web inbox and dashboard"),
    Command(
        "doctor", "doctor_cmd", "check the model, database, data folder, memory and mail setup"
    ),
    Command("eval", "eval_cmd", "run the evals (evals/) and print one score table per agent"),
)


def summary(name: str) -> str:
    """The help line of one command, for its family's ``add_parser``."""
    (command,) = [c for c in COMMANDS if c.name == name]
    return command.summary


def family(name: str) -> ModuleType:
    """The module that registers and runs a family of commands."""
    return importlib.import_module(f"{__name__}.{name}")
