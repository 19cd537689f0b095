"""What every command shares: ``--db``, ``--as-of``, ``--json`` and error reporting."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

import orjson

from khazna.calendar_dz import parse_day
from khazna.config import resolve_db_url
from khazna.money import jsonable


class CommandError(Exception):
    """A failure the user can act on: printed to stderr without a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def emit_error(message: str) -> None:
    print(f"khazna: erreur : {message}", file=sys.stderr)


def iso_date(text: str) -> date:
    """A day as ISO ``2026-12-03`` or as people write it here, ``03/12/2026`` (day first)."""
    day = parse_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"date invalide (AAAA-MM-JJ ou JJ/MM/AAAA) : {text!r}")
    return day


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        help="base du grand livre (URL SQLAlchemy ; défaut : $KHAZNA_DB_URL, ou un fichier SQLite dans $KHAZNA_HOME)",
    )


def add_as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="le jour d'où l'on regarde, AAAA-MM-JJ ou JJ/MM/AAAA (défaut : aujourd'hui)",
    )


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--json", action="store_true", help="imprime un seul document JSON (les codes de la spec)"
    )


def as_of(args: argparse.Namespace) -> date:
    return args.as_of or date.today()


def open_ledger(args: argparse.Namespace, *, must_exist: bool = True):
    """The ledger of ``--db``; with ``must_exist`` a missing company is a clear error."""
    # lazy: the parser imports this module, and `khazna --help` must not load SQLAlchemy
    # (0.07 s instead of 0.27 s; tests/test_cli_table.py)
    from sqlalchemy.exc import OperationalError

    from khazna.ledger.db import Ledger
    from khazna.ledger.queries import get_company

    url = resolve_db_url(getattr(args, "db", None))
    try:
        ledger = Ledger(url)
    except OperationalError as err:
        raise CommandError(
            f"impossible d'ouvrir la base du grand livre {url} : {err.orig}"
        ) from None
    if must_exist:
        with ledger.read() as s:
            if get_company(s) is None:
                raise CommandError(
                    f"le grand livre {url} est vide : chargez d'abord des livres "
                    "(`khazna demo`, ou `khazna import DOSSIER`)"
                )
    return ledger


def print_json(obj: Any) -> None:
    """``obj`` as one JSON document (indented by 2, UTF-8), encoded by orjson (a big
    ``--json`` output spent most of its time in the ``json`` module); ``json`` takes over
    for what orjson refuses (an integer beyond 64 bits)."""
    doc = jsonable(obj)
    try:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    write_bytes(data + b"\n")


def write_bytes(data: bytes) -> None:
    """UTF-8 bytes to standard output, after what was printed before them."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO)
        out.write(data.decode("utf-8"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


def books_end_of(ledger, day: date):  # noqa: ANN001 - a khazna.ledger.db.Ledger
    """Where the books stop when ``day`` is after their last record, else None
    (:func:`khazna.tools.status.books_end`): read once per command."""
    from khazna.tools.status import books_end

    with ledger.read() as s:
        return books_end(s, day)


def with_books_end(doc: Any, end) -> Any:  # noqa: ANN001 - a BooksEnd or None
    """``doc``'s JSON form with ``books_end`` (what the books cover) and the sentence added
    to ``notes``, when the books stop before the day asked; ``doc`` itself otherwise."""
    if end is None:
        return doc
    out = dict(jsonable(doc))
    notes = out.get("notes")
    out["notes"] = [*(notes if isinstance(notes, list) else []), end.note]
    out["books_end"] = jsonable(end)
    return out


def print_books_end(end) -> None:  # noqa: ANN001 - a BooksEnd or None
    """The one line a human reads when the books stop before the day asked."""
    if end is not None:
        print(f"note : {end.note}")
