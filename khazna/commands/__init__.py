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
    summary: str  # the (French) help line of `khazna --help` and of `khazna NAME --help`


COMMANDS: tuple[Command, ...] = (
    Command(
        "demo",
        "demo_cmd",
        "crée une société de démonstration (Atlas Services SARL, 18 mois de comptes) et la charge",
    ),
    Command("import", "ledger_cmds", "importe un lot de données (un dossier, voir spec/bundle.md)"),
    Command("export", "ledger_cmds", "écrit le grand livre dans un dossier au format du lot"),
    Command(
        "status",
        "ledger_cmds",
        "le grand livre d'un coup d'œil : effectifs, trésorerie, créances ouvertes",
    ),
    Command(
        "import-bank",
        "bank_cmd",
        "importer un relevé bancaire (CSV, XLSX ou PDF), toutes les lignes ou aucune",
    ),
    Command(
        "aging",
        "finance_cmds",
        "la balance âgée des créances par client et par tranche (non échu, 1–30 j, 31–60 j, 61–90 j, plus de 90 j de retard ; échéance du jour = non échu). Reste dû = TTC − paiements encaissés affectés − avoirs. DSO = créances ouvertes / ventes à crédit des 90 derniers jours × 90.",
    ),
    Command(
        "forecast",
        "finance_cmds",
        "la prévision de trésorerie jour par jour depuis la position à la fin de --as-of : factures ouvertes à la date que l'historique de chaque client annonce, engagements, sorties récurrentes apprises, dépenses et recettes courantes (crédits qu'aucun paiement enregistré n'explique, p. ex. ventes au comptoir) avec les saisons apprises des comptes (Ramadan, avant les Aïds, août) ; état OK / à surveiller (sous le seuil) / tension (négatif)",
    ),
    Command(
        "placement",
        "placement_cmd",
        "l'excédent de trésorerie à placer : le plus grand montant sur 30/90/180 jours qui garde le chemin le plus bas de la prévision au-dessus du seuil, les intérêts de chaque produit de policy.json ; enregistre un placement fait (add, list, remove) pour qu'une alerte dise quand le rapatrier",
    ),
    Command(
        "backtest",
        "finance_cmds",
        "rejoue la prévision à des dates passées avec ce qui était connu alors, et imprime son erreur absolue moyenne face à deux références (solde constant, 30 derniers jours répétés)",
    ),
    Command(
        "categorize",
        "analysis_cmds",
        "classe chaque ligne bancaire et la rapproche des paiements, dépenses et engagements",
    ),
    Command(
        "anomalies",
        "analysis_cmds",
        "trouve les doubles paiements, les écarts à la politique de dépenses, les montants inhabituels et les bénéficiaires inconnus",
    ),
    Command(
        "check-invoice",
        "check_invoice_cmd",
        "contrôle les factures selon les règles algériennes (mentions, identifiants, totaux, timbre)",
    ),
    Command(
        "run",
        "agents_cmds",
        "le cycle de la semaine : contrôle, analyse, relances à approuver, rapport (par le superviseur)",
    ),
    Command(
        "inbox",
        "agents_cmds",
        "les relances qui attendent le gérant : list, show, approve, edit, reject, set-channel, mark-sent",
    ),
    Command(
        "report",
        "agents_cmds",
        "le rapport de trésorerie de la semaine ouvrée qui finit à --as-of",
    ),
    Command(
        "ask",
        "agents_cmds",
        "une question aux comptes, en français, en arabe ou en anglais (« total des créances de plus de 60 jours ? »)",
    ),
    Command(
        "schedule",
        "schedule_cmd",
        "l'automatisation du jour : chaque jour ouvré (dim.–jeu., hors fêtes) à --at, le cycle (relances ; le rapport de la semaine le dernier jour ouvré), les alertes, les rappels de justificatifs",
    ),
    Command(
        "receipts",
        "receipts_cmd",
        "les justificatifs : ceux qui manquent par personne, les rappels de la semaine, joindre un fichier (PDF, JPEG, PNG, 10 Mo au plus) à une dépense, les adresses des personnes",
    ),
    Command(
        "export-accounting",
        "accounting_cmd",
        "l'export pour le comptable : le journal de la période en comptes SCF (VT ventes, AC achats, BQ banque, CA caisse), en CSV (';', virgule décimale) ou XLSX",
    ),
    Command(
        "replies",
        "replies_cmd",
        "les réponses des clients à examiner : celles qui ne suspendent rien d'elles-mêmes (expéditeur non authentifié, aucune facture du client) et les messages en quarantaine ; en confirmer une",
    ),
    Command("mail-outbox", "mail_cmd", "le courrier sortant et son état d'envoi"),
    Command("mail-retry", "mail_cmd", "envoie le courrier sortant dont l'heure est venue"),
    Command(
        "client",
        "client_cmd",
        "le canal de relance des clients : list, show, set-channel (email, whatsapp, sms)",
    ),
    Command("user", "user_cmd", "les utilisateurs de l'application web (gérant, comptable)"),
    Command(
        "serve", "serve_cmd", "sert l'application web : relances à approuver et tableau de bord"
    ),
    Command(
        "doctor",
        "doctor_cmd",
        "vérifie le modèle, la base, le dossier de données, la mémoire et l'envoi du courrier",
    ),
    Command(
        "eval",
        "eval_cmd",
        "lance les évaluations (evals/) et imprime un tableau de scores par agent",
    ),
)


def summary(name: str) -> str:
    """The help line of one command, for its family's ``add_parser``."""
    (command,) = [c for c in COMMANDS if c.name == name]
    return command.summary


def family(name: str) -> ModuleType:
    """The module that registers and runs a family of commands."""
    return importlib.import_module(f"{__name__}.{name}")
