"""The client memory as the agents use it: one Chroma store per ledger, synced from the
ledger's interactions when a run starts, fed with what the agents and the owner do."""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

from khazna.config import Paths
from khazna.memory import ClientMemory, MemoryRecord

log = logging.getLogger(__name__)


def memory_path(db_url: str) -> Path:
    """Beside a SQLite ledger file; under ``$KHAZNA_HOME/memory/`` for a server database."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_suffix(".memory")
    key = hashlib.sha1(url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return Paths.from_env().memory / key


def open_memory(ledger, *, sync: bool = True):
    """The ledger's client memory, synced; None (and a log line) if it cannot be opened —
    the agents then work from the ledger's interactions alone."""
    try:
        mem = ClientMemory(memory_path(ledger.url))
        if sync:
            with ledger.read() as s:
                mem.sync_from_ledger(s)
        return mem
    except Exception as err:  # memory is an aid, not a dependency of the books
        log.warning("client memory unavailable: %s", err)
        return None


def _remember_about(memory, draft, prefix: str, kind: str, source: str, text: str) -> None:
    """One event of the owner's about a draft, in that client's history."""

    memory.add(
        MemoryRecord(
            id=f"{prefix}:{draft.draft_id}",
            client_id=draft.client_id,
            date=draft.as_of,
            kind=kind,
            direction="out",
            channel="email",
            source=source,
            invoice_numbers=list(draft.invoice_numbers),
            text=text,
        )
    )


def remember_reminder(memory, draft) -> None:
    """A sent reminder becomes part of the client's history (typed fields, no client text)."""
    _remember_about(
        memory, draft, "reminder", "reminder", "reminder", f"{draft.subject}\n\n{draft.detailed}"
    )


def remember_owner_edit(memory, draft, original: str) -> None:
    """The owner's edit is remembered for that client (what was changed, and how)."""
    text = f"Relance modifiée par le gérant avant envoi.\nAvant : {original[:1500]}\nAprès : {draft.detailed[:1500]}"
    _remember_about(memory, draft, "owner_edit", "note", "owner_edit", text)


def remember_rejection(memory, draft, reason: str) -> None:
    text = f"Relance de niveau {draft.level} rejetée par le gérant : {reason}"
    _remember_about(memory, draft, "rejected", "note", "owner_edit", text)


def cite(memory, client_id: str, invoice_numbers: list[str], as_of: date, k: int = 3) -> list[dict]:
    """The history snippets a reminder rests on, for the inbox (ids, dates, kinds, text)."""
    if memory is None:
        return []
    query = " ".join(["promesse de paiement litige relance", *invoice_numbers])
    hits = memory.search(query, client_id=client_id, k=k)
    return [
        {
            "id": h.record.id,
            "date": h.record.date.isoformat(),
            "kind": h.record.kind or "note",
            "source": h.record.source,
            "text": h.record.text[:500],
            "suspicious": h.record.suspicious,
            "promised_date": h.record.promised_date.isoformat() if h.record.promised_date else None,
        }
        for h in hits
        if h.record.date <= as_of
    ]
