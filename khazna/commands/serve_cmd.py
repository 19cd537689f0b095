"""``khazna serve``: the web inbox and dashboard (uvicorn)."""

from __future__ import annotations

import argparse

from khazna.agents.configuration import Configuration, ConfigurationError
from khazna.agents.llm import build_chat_model
from khazna.commands import summary
from khazna.commands.common import CommandError, add_db
from khazna.config import resolve_db_url
from khazna.web.app import create_app
from khazna.web.users import list_users


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help=summary("serve"),
        description=(
            "Serve the web app: the owner's approval inbox, the dashboard, the accountant's "
            "questions and exports. Every page but the login needs a session "
            "(create users with `khazna user add`). Sessions are signed with "
            "$KHAZNA_SECRET_KEY, else a key kept in $KHAZNA_HOME/secret_key."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--https-only",
        action="store_true",
        help="send the session cookie over HTTPS only (behind a TLS reverse proxy)",
    )
    add_db(p)
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn
    from sqlalchemy.exc import OperationalError

    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port}: out of range 1-65535")

    url = resolve_db_url(args.db)
    try:
        model = build_chat_model(Configuration.from_env())  # None offline: the rule-based assistant
    except ConfigurationError as err:
        raise CommandError(f"model configuration: {err}") from None
    try:
        app = create_app(url, https_only=args.https_only, model=model)
    except OperationalError as err:
        raise CommandError(f"cannot open the ledger database {url}: {err.orig}") from None
    with app.state.ledger.read() as s:
        if not list_users(s):
            print("khazna: no user yet: create one with `khazna user add NAME --role owner`")
    print(f"khazna: serving http://{args.host}:{args.port}/ (ledger {url})", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
