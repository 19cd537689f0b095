"""A full disk said in words (issue 15): what could not be written, and that nothing half
written was kept, instead of a traceback.

Three ways the storage says it is full, all recognised here, through the exception's chain
(``__cause__``/``__context__``) and SQLAlchemy's wrapped driver error (``.orig``):

- a file: ``OSError`` with ``ENOSPC`` (no space left), ``EDQUOT`` (quota) or ``EFBIG``;
- SQLite: ``SQLITE_FULL`` (``database or disk is full``), also past ``max_page_count``;
- PostgreSQL: SQLSTATE ``53100`` (``disk_full``).

The ledger writes each command in one transaction, so a full database keeps nothing of it.
"""

from __future__ import annotations

import errno

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
SQLITE_FULL = 13
PG_DISK_FULL = "53100"


def _db_full(orig: object) -> bool:
    if getattr(orig, "sqlite_errorcode", None) == SQLITE_FULL:
        return True
    if PG_DISK_FULL in (getattr(orig, "sqlstate", None), getattr(orig, "pgcode", None)):
        return True
    return "database or disk is full" in str(orig)


def storage_full(err: BaseException, where: str | None = None) -> str | None:
    """The owner's message when ``err`` says the disk (or the database) is full, else None;
    ``where``: what was being written, when the error does not name a file (a write that
    fails after the open)."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL_ERRNOS:
            target = current.filename or where
            said = f" en écrivant {target}" if target else ""
            return (
                f"espace disque plein{said} ({current.strerror}) : ce qui était en cours "
                "d'écriture est incomplet ; libérez de la place (ou agrandissez le quota), "
                "puis relancez la commande"
            )
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
        if orig is not None and _db_full(orig) or _db_full(current):
            return (
                "espace disque plein : la base du grand livre n'a pas pu écrire, rien de cette "
                "opération n'a été enregistré (transaction annulée) ; libérez de la place, "
                "puis relancez la commande"
            )
        current = current.__cause__ or current.__context__
    return None
