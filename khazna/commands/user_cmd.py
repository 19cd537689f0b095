"""``khazna user add|list``: the people who sign in to the web app, and their role."""

from __future__ import annotations

import argparse
import getpass
import sys

from khazna.commands import summary
from khazna.commands.common import CommandError, add_db, add_json, open_ledger, print_json
from khazna.web.users import UserError, add_user, list_users


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "user",
        help=summary("user"),
        description=(
            "Users of `khazna serve`. An owner approves, edits, rejects and sends reminders; "
            "an accountant reads, asks questions and exports."
        ),
    )
    cmds = p.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    a = cmds.add_parser("add", help="create a user (password from a prompt or stdin)")
    a.add_argument("name", help="user name (no spaces)")
    a.add_argument("--role", choices=("owner", "accountant"), required=True)
    a.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of a prompt",
    )
    add_db(a)
    add_json(a)
    a.set_defaults(func=cmd_add)
    ls = cmds.add_parser("list", help="list the users and their role")
    add_db(ls)
    add_json(ls)
    ls.set_defaults(func=cmd_list)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")

    first = getpass.getpass(f"Password for {args.name}: ")
    second = getpass.getpass("Repeat: ")
    if first != second:
        raise CommandError("the two passwords differ")
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
        print(f"user {user.username} added ({user.role})")
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
        print("no user yet: khazna user add NAME --role owner")
    for u in users:
        last = (
            f"last login {u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "never logged in"
        )
        print(f"{u.username:<20} {u.role:<11} {last}")
    return 0
