"""``khazna client list|show|set-channel``: where each client's reminders go."""

from __future__ import annotations

import argparse

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, open_ledger, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "client",
        help=summary("client"),
        description=(
            "Le canal de relance de chaque client : email (par défaut), whatsapp ou sms. "
            "Une relance peut changer de canal avant approbation (khazna inbox set-channel). "
            "Sur tous les canaux, rien ne part sans l'approbation du texte exact."
        ),
    )
    cmds = p.add_subparsers(dest="client_command", metavar="COMMAND", required=True)
    ls = cmds.add_parser("list", help="les clients, leur téléphone et leur canal")
    add_db(ls)
    add_json(ls)
    ls.set_defaults(func=cmd_list)
    sh = cmds.add_parser("show", help="les coordonnées et le canal d'un client")
    sh.add_argument("client_id")
    add_db(sh)
    add_json(sh)
    sh.set_defaults(func=cmd_show)
    sc = cmds.add_parser("set-channel", help="fixe le canal de relance d'un client")
    sc.add_argument("client_id")
    sc.add_argument("channel", choices=("email", "whatsapp", "sms"))
    add_db(sc)
    add_json(sc)
    sc.set_defaults(func=cmd_set_channel)


def _row(c) -> dict:
    from khazna.mail.phone import international

    return {
        "client_id": c.client_id,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "phone_international": international(c.phone),
        "channel": c.channel or "email",
    }


def _print(row: dict) -> None:
    print(
        f"{row['client_id']:<8} {row['channel']:<9} {row['phone'] or '-':<20} "
        f"{row['email'] or '-':<32} {row['name']}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from khazna.ledger.models import Client

    ledger = open_ledger(args)
    with ledger.read() as s:
        rows = [_row(c) for c in s.scalars(select(Client).order_by(Client.client_id))]
    if args.json:
        print_json({"clients": rows})
        return 0
    for row in rows:
        _print(row)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from khazna.ledger.models import Client

    ledger = open_ledger(args)
    with ledger.read() as s:
        c = s.get(Client, args.client_id)
        if c is None:
            raise CommandError(f"client {args.client_id!r} inconnu")
        row = _row(c)
    if args.json:
        print_json(row)
        return 0
    _print(row)
    return 0


def cmd_set_channel(args: argparse.Namespace) -> int:
    from khazna.agents.channels import ChannelError, set_client_channel

    ledger = open_ledger(args)
    try:
        with ledger.session() as s:
            row = _row(set_client_channel(s, args.client_id, args.channel))
    except ChannelError as err:
        raise CommandError(str(err)) from None
    if args.json:
        print_json(row)
        return 0
    print(f"{row['client_id']} : les relances partiront par {row['channel']}.")
    return 0
