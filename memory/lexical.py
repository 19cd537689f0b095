"""The lexical half of the hybrid search: BM25 over normalised, stemmed terms, plus fusion.

A record's terms are its text's terms plus a few words naming its kind in French and
Arabic ("promesse paiement وعد" for a promise), so that "litige facture" or "وعد بالدفع"
finds a dispute or a promise whatever words the client used. The kind comes from the
ledger or from :func:`khazna.tools.notes.infer_kind`, never from the query.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from khazna.memory.text import terms

KIND_TERMS = {
    "promise": "promesse engagement paiement payer régler échéance وعد التزام دفع تسديد",
    "dispute": "litige contestation réclamation désaccord erreur نزاع اعتراض شكوى خلاف",
    "reminder": "relance rappel impayé تذكير مطالبة",
    "note": "",
}


def record_terms(text: str, kind: str) -> list[str]:
    return terms(text) + terms(KIND_TERMS.get(kind, ""))


def bm25_rank(
    query: str, docs: Sequence[tuple[str, list[str]]], *, k1: float = 1.2, b: float = 0.75
) -> list[tuple[str, float]]:
    """``docs`` = (id, terms); ids with a positive score, best first (ties by id)."""
    q = set(terms(query))
    if not q or not docs:
        return []
    n = len(docs)
    avgdl = sum(len(t) for _, t in docs) / n or 1.0
    df = Counter(term for _, ts in docs for term in set(ts) if term in q)
    scored = []
    for doc_id, ts in docs:
        tf = Counter(t for t in ts if t in q)
        if not tf:
            continue
        s = 0.0
        for term, f in tf.items():
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            s += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len(ts) / avgdl))
        scored.append((doc_id, s))
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored


def rrf(rankings: Sequence[Sequence[str]], *, k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1/(k + rank) over the rankings an id appears in."""
    score: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            score[doc_id] = score.get(doc_id, 0.0) + 1.0 / (k + rank)
    return sorted(score.items(), key=lambda x: (-x[1], x[0]))
