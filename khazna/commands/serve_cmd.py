"""``khazna serve``: the web inbox and dashboard (uvicorn)."""

from __future__ import annotations

import argparse
import ipaddress

import uvicorn
from sqlalchemy.exc import OperationalError

from khazna.agents.configuration import Configuration, ConfigurationError
from khazna.agents.llm import build_chat_model
from khazna.commands import summary
from khazna.commands.common import CommandError, add_db
from khazna.config import resolve_db_url, session_limits
from khazna.web.app import create_app
from khazna.web.users import list_users


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help=summary("serve"),
        description=(
            "Sert l'application web : les relances à approuver par le gérant, le tableau de "
            "bord, les questions et les exports du comptable. Chaque page sauf la connexion "
            "demande une session (créez les utilisateurs avec `khazna user add`). Les sessions "
            "sont gardées dans la base du grand livre (le cookie porte un identifiant tiré au "
            "sort) et finissent à la déconnexion, à un changement de mot de passe, après "
            "$KHAZNA_SESSION_IDLE_MINUTES sans usage (défaut 60) et $KHAZNA_SESSION_MAX_HOURS "
            "après la connexion (défaut 12). Les connexions échouées sont freinées par compte "
            "et par adresse du client, dans la base. $KHAZNA_SECRET_KEY (sinon une clé gardée "
            "dans $KHAZNA_HOME/secret_key) signe le jeton CSRF du formulaire de connexion."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (défaut 8000)")
    p.add_argument(
        "--https-only",
        action="store_true",
        help="n'envoie le cookie de session qu'en HTTPS (derrière un proxy inverse TLS)",
    )
    p.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help="un proxy inverse (adresse IP ou réseau, p. ex. 127.0.0.1 ou 10.0.0.0/24) dont "
        "l'en-tête X-Forwarded-For nomme le client ; répétable. Sans lui, l'en-tête est ignoré "
        "et le client est l'autre bout de la connexion",
    )
    add_db(p)
    p.set_defaults(func=cmd_serve)


def trusted_proxies(values: list[str]) -> list[str]:
    """Each ``--trusted-proxy`` as an address or a network, else a CommandError (uvicorn
    would take a typo for a host name and trust nothing, silently)."""
    out = []
    for value in values:
        try:
            out.append(str(ipaddress.ip_network(value.strip(), strict=False)))
        except ValueError:
            raise CommandError(
                f"--trusted-proxy {value!r} : ni une adresse IP ni un réseau (p. ex. 127.0.0.1)"
            ) from None
    return out


def uvicorn_config(app, host: str, port: int, **kw) -> uvicorn.Config:
    """How ``khazna serve`` runs the app. uvicorn's own proxy-header handling is off: by
    default it believes X-Forwarded-For from 127.0.0.1, so any local client could pick the
    address that login throttling counts. The app reads the header only from
    ``--trusted-proxy`` addresses (``create_app(trusted_proxies=...)``)."""
    return uvicorn.Config(app, host=host, port=port, proxy_headers=False, **kw)


def cmd_serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port} : hors de l'intervalle 1-65535")
    proxies = trusted_proxies(args.trusted_proxy)
    try:
        limits = session_limits()
    except ValueError as err:
        raise CommandError(str(err)) from None

    url = resolve_db_url(args.db)
    try:
        model = build_chat_model(Configuration.from_env())  # None offline: the rule-based assistant
    except ConfigurationError as err:
        raise CommandError(f"configuration du modèle : {err}") from None
    try:
        app = create_app(
            url,
            https_only=args.https_only,
            model=model,
            sessions=limits,
            trusted_proxies=proxies,
        )
    except OperationalError as err:
        raise CommandError(
            f"impossible d'ouvrir la base du grand livre {url} : {err.orig}"
        ) from None
    with app.state.ledger.read() as s:
        if not list_users(s):
            print(
                "khazna : aucun utilisateur pour l'instant : créez-en un avec `khazna user add NOM --role owner`"
            )
    print(f"khazna: serving http://{args.host}:{args.port}/ (ledger {url})", flush=True)
    uvicorn.Server(uvicorn_config(app, args.host, args.port, log_level="info")).run()
    return 0
