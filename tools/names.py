"""Which client a free text names: the longest client name or id found in it, accents and
case ignored, legal forms (SARL, SPA...) optional."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Client

_LEGAL_FORMS = re.compile(r"\b(sarl|spa|eurl|snc|epe|epic)\b", re.I)


def _norm(t: str) -> str:
    t = unicodedata.normalize("NFKD", t.lower())
    return " ".join("".join(c for c in t if not unicodedata.combining(c)).split())


def find_client(session: Session, text: str) -> tuple[str, str] | None:
    """``(client_id, name)`` of the client named in ``text``, or None."""
    t = _norm(text)
    best: tuple[int, str, str] | None = None
    for cid, name in session.execute(select(Client.client_id, Client.name)):
        for cand in {_norm(name), _norm(cid), _norm(_LEGAL_FORMS.sub("", name))}:
            if cand and len(cand) >= 3 and re.search(rf"(?<!\w){re.escape(cand)}(?!\w)", t):
                if best is None or len(cand) > best[0]:
                    best = (len(cand), cid, name)
    return (best[1], best[2]) if best else None
