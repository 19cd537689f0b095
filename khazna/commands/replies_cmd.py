"""``khazna replies list|confirm ID``: the clients' emails the owner has to weigh.

A reply whose sender was not authenticated, or that names no invoice of the client, pauses no
reminder by itself (mail/replies.py): it is listed here, and shown on the client's draft. The
owner confirms it (its promise or dispute then counts), or leaves it as a note. Messages that
could not be read at all are listed from the quarantine folder.
"""

from __future__ import annotations

import argparse

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, open_ledger, print_json
from khazna.mail.replies import (
    Quarantine,
    ReplyError,
    confirm_reply,
    quarantined,
    unconfirmed_replies,
)
from khazna.tools.client_state import UNCONFIRMED_LABELS
from khazna.tools.notes import infer_kind


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replies", help=summary("replies"))
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = rsub.add_parser(
        "list",
        help="les réponses qui attendent la confirmation du gérant, et les messages en quarantaine",
    )
    add_db(q)
    add_json(q)
    q = rsub.add_parser(
        "confirm",
        help="confirme une réponse : sa promesse ou son litige suspend alors les relances",
    )
    q.add_argument("interaction_id")
    add_db(q)
    add_json(q)
    p.set_defaults(func=cmd_replies)


def _row(it) -> dict:
    inf = infer_kind(it.text, it.date)
    return {
        "interaction_id": it.interaction_id,
        "client_id": it.client_id,
        "date": it.date.isoformat(),
        "kind": it.kind or inf.kind,
        "promised_date": inf.promised_date.isoformat() if inf.promised_date else None,
        "unconfirmed": it.unconfirmed,
        "text": it.text,
    }


def cmd_replies(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    if args.action == "confirm":
        try:
            with ledger.session() as s:
                row = _row(confirm_reply(s, args.interaction_id))
        except ReplyError as err:
            raise CommandError(str(err)) from None
        if args.json:
            print_json(row)
        else:
            print(
                f"{row['interaction_id']} ({row['client_id']}, {row['kind']}) confirmé : "
                "il compte désormais comme un échange enregistré par vous."
            )
        return 0
    with ledger.read() as s:
        rows = [_row(it) for it in unconfirmed_replies(s)]
    held = quarantined(Quarantine.for_replies())
    if args.json:
        print_json({"unconfirmed": rows, "quarantined": held})
        return 0
    if not rows and not held:
        print("Aucune réponse à confirmer, aucun message en quarantaine.")
    for r in rows:
        when = f" pour le {r['promised_date']}" if r["promised_date"] else ""
        why = UNCONFIRMED_LABELS.get(r["unconfirmed"], r["unconfirmed"])
        text = " ".join(r["text"].split())[:100]
        print(f"{r['interaction_id']}  {r['date']}  {r['client_id']}  {r['kind']}{when}  ({why})")
        print(f"    « {text} »")
    for h in held:
        print(f"quarantaine : {h.get('source', '?')} : {h.get('reason', '?')} → {h['file']}")
    return 0
