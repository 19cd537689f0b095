"""``khazna user add|list|passwd|remove|sessions``: the people who sign in to the web app,
their role, their password and their sessions."""

from __future__ import annotations

import argparse
import getpass
import sys

from khazna.calendar_dz import format_local
from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, open_ledger, print_json
from khazna.config import SessionLimits, session_limits
from khazna.text import count
from khazna.web.sessions import end_user_sessions, list_sessions
from khazna.web.users import UserError, add_user, list_users, remove_user, set_password


def _add_password_stdin(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="lit le mot de passe sur la première ligne de l'entrée standard au lieu de le "
        "demander (le défaut quand l'entrée standard n'est pas un terminal)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "user",
        help=summary("user"),
        description=(
            "Les utilisateurs de `khazna serve`. Un gérant (owner) approuve, modifie, rejette "
            "et envoie les relances ; un comptable (accountant) lit, pose des questions et "
            "exporte. Un nouveau mot de passe ou un utilisateur retiré met fin aussitôt à ses "
            "sessions."
        ),
    )
    cmds = p.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    a = cmds.add_parser(
        "add", help="crée un utilisateur (mot de passe demandé ou lu sur l'entrée standard)"
    )
    a.add_argument("name", help="nom d'utilisateur (sans espace)")
    a.add_argument("--role", choices=("owner", "accountant"), required=True)
    _add_password_stdin(a)
    add_db(a)
    add_json(a)
    a.set_defaults(func=cmd_add)
    ls = cmds.add_parser("list", help="liste les utilisateurs et leur rôle")
    add_db(ls)
    add_json(ls)
    ls.set_defaults(func=cmd_list)
    pw = cmds.add_parser(
        "passwd", help="change le mot de passe d'un utilisateur (met fin à toutes ses sessions)"
    )
    pw.add_argument("name", help="nom d'utilisateur")
    _add_password_stdin(pw)
    add_db(pw)
    add_json(pw)
    pw.set_defaults(func=cmd_passwd)
    rm = cmds.add_parser(
        "remove", help="retire un utilisateur et met fin à ses sessions (le seul gérant reste)"
    )
    rm.add_argument("name", help="nom d'utilisateur")
    add_db(rm)
    add_json(rm)
    rm.set_defaults(func=cmd_remove)
    se = cmds.add_parser(
        "sessions",
        help="liste les sessions web ouvertes (d'un utilisateur, ou toutes) ; --revoke y met fin",
    )
    se.add_argument("name", nargs="?", help="seulement les sessions de cet utilisateur")
    se.add_argument(
        "--revoke",
        action="store_true",
        help="met fin aux sessions listées (celles de cet utilisateur, ou de tous sans nom)",
    )
    add_db(se)
    add_json(se)
    se.set_defaults(func=cmd_sessions)


def _read_password(args: argparse.Namespace) -> str:
    """From standard input with --password-stdin or when it is not a terminal (no prompt,
    no warning); else twice from a prompt that does not echo."""
    if args.password_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise CommandError(
                "aucun mot de passe sur l'entrée standard : envoyez-le par un tube "
                "(printf '%s\\n' \"$PW\" | khazna user ... --password-stdin) ou lancez la commande "
                "dans un terminal"
            )
        return line.rstrip("\r\n")
    first = getpass.getpass(f"Mot de passe de {args.name} : ")
    second = getpass.getpass("Le même, une seconde fois : ")
    if first != second:
        raise CommandError("les deux mots de passe diffèrent")
    return first


def cmd_add(args: argparse.Namespace) -> int:
    ledger = open_ledger(args, must_exist=False)
    password = _read_password(args)
    try:
        with ledger.session() as s:
            user = add_user(s, args.name, args.role, password)
    except UserError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json({"username": user.username, "role": user.role})
    else:
        print(f"utilisateur {user.username} ajouté ({_role(user.role)})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    ledger = open_ledger(args, must_exist=False)
    with ledger.read() as s:
        users = list_users(s)
    if args.json:
        print_json(
            {
                "users": [
                    {
                        "username": u.username,
                        "role": u.role,
                        "created_at": u.created_at.isoformat(timespec="seconds"),
                        "last_login_at": u.last_login_at.isoformat(timespec="seconds")
                        if u.last_login_at
                        else None,
                    }
                    for u in users
                ]
            }
        )
        return 0
    if not users:
        print("aucun utilisateur : khazna user add NOM --role owner")
    for u in users:
        last = (
            f"dernière connexion {format_local(u.last_login_at)}"
            if u.last_login_at
            else "jamais connecté"
        )
        print(f"{u.username:<20} {_role(u.role):<11} {last}")
    return 0


def _ended(n: int) -> str:
    return (
        "aucune session n'était ouverte"
        if n == 0
        else f"{count(n, 'session terminée', 'sessions terminées')}"
    )


def _role(role: str) -> str:
    return {"owner": "gérant", "accountant": "comptable"}.get(role, role)


def cmd_passwd(args: argparse.Namespace) -> int:
    ledger = open_ledger(args, must_exist=False)
    with ledger.read() as s:  # a wrong name is said before the password is asked
        if args.name.strip() not in {u.username for u in list_users(s)}:
            raise CommandError(f"utilisateur {args.name.strip()!r} inconnu (khazna user list)")
    password = _read_password(args)
    try:
        with ledger.session() as s:
            ended = set_password(s, args.name, password, _limits())
    except UserError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json(
            {"username": args.name.strip(), "password_changed": True, "sessions_ended": ended}
        )
    else:
        print(f"mot de passe de {args.name.strip()} changé ; {_ended(ended)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    ledger = open_ledger(args, must_exist=False)
    try:
        with ledger.session() as s:
            ended = remove_user(s, args.name, _limits())
    except UserError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json({"username": args.name.strip(), "removed": True, "sessions_ended": ended})
    else:
        print(f"utilisateur {args.name.strip()} retiré ; {_ended(ended)}")
    return 0


def _limits() -> SessionLimits:
    try:
        return session_limits()
    except ValueError as err:
        raise CommandError(str(err)) from None


def cmd_sessions(args: argparse.Namespace) -> int:
    limits = _limits()
    ledger = open_ledger(args, must_exist=False)
    name = args.name.strip() if args.name else None
    with ledger.session() as s:
        if name is not None and name not in {u.username for u in list_users(s)}:
            raise CommandError(f"utilisateur {name!r} inconnu (khazna user list)")
        live = list_sessions(s, limits, name)
        ended = end_user_sessions(s, name, limits) if args.revoke else 0
    if args.json:
        out: dict = {
            "sessions": [
                {
                    "ref": x.ref,
                    "username": x.username,
                    "created_at": x.created_at.isoformat(timespec="seconds"),
                    "last_seen_at": x.last_seen_at.isoformat(timespec="seconds"),
                    "expires_at": x.expires_at.isoformat(timespec="seconds"),
                    "address": x.address,
                }
                for x in live
            ],
            "idle_minutes": limits.idle.total_seconds() / 60,
            "max_hours": limits.absolute.total_seconds() / 3600,
        }
        if args.revoke:
            out["revoked"] = ended
        print_json(out)
        return 0
    whose = f" de {name}" if name else ""
    if not live:
        print(f"aucune session ouverte{whose}")
    else:
        print("heures d'Alger")
    for x in live:
        print(
            f"{x.ref}  {x.username:<20} {x.address or '?':<15} depuis {format_local(x.created_at)}"
            f"  dernier usage {format_local(x.last_seen_at)[-5:]}"
            f"  fin au plus tard {format_local(x.expires_at)}"
        )
    if args.revoke:
        print(f"{_ended(ended)}{whose}")
    return 0
