"""Reading a PDF's text within a budget (issue 15): "trop complexe à lire" past it.

pypdf's text extraction is pure Python and linear in the operators of a page's content
stream, with a large constant (about 10 µs a token, twice: plain and layout modes): an 83 KB
PDF whose page draws 3 million operators took 2 min 50 s in ``check-invoice``, and 600 000
operators, just under pypdf's own parsing bound, still took 37 s and read garbage. An invoice
page holds a few thousand tokens (the demo's: 650-970, 3-5 KB of content). Three bounds,
checked before and while pypdf works, none tuned to one file:

- the decoded bytes of a page's content (its ``/Contents``), measured before it is parsed;
  pypdf's own per-stream output bound of the decompressors is lowered to the same order;
- the parsing work of one content stream (pypdf's ``stream_parsing_work_maximum_count``:
  operators, operands and nested elements), which pypdf enforces with ``LimitReachedError``;
- this thread's CPU time for the whole document (CPU, not wall time: a loaded machine does
  not refuse a PDF it would read), checked between pages and every 1 024 operators.

Past any of them :class:`TooComplex` says which, in French, for the owner. The limits are
pypdf's ``Configuration`` (``apply_configuration``: a context variable, so a web request
reading a PDF does not change another's), not a copy of its parser.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PdfBudget:
    page_bytes: int = 1 << 20  # decoded content of one page (the demo's: 3-5 KB)
    stream_tokens: int = 300_000  # pypdf's parsing work for one content stream
    cpu_seconds: float = 8.0  # this thread's CPU for the whole document
    stream_bytes: int = 16 << 20  # any one stream decompressed (fonts, images included)
    text_chars: int = 400_000  # characters of text extracted, all pages and modes


class TooComplex(Exception):
    """A PDF past its budget; ``reason`` in French (``"la page 1 dessine ..."``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} Mio".replace(".", ",")  # a size to read, not money


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # 300 000


class Reading:
    """One document's budget: ``with reading.limits():`` around every pypdf call."""

    def __init__(self, budget: PdfBudget | None = None) -> None:
        self.budget = budget or PdfBudget()
        self.started = time.thread_time()
        self.chars = 0
        self._ticks = 0

    @contextmanager
    def limits(self) -> Iterator[None]:
        # lazy: pypdf (0.10 s) only when a PDF is read
        from pypdf import apply_configuration
        from pypdf.errors import LimitReachedError

        b = self.budget
        try:
            with apply_configuration(
                stream_parsing_work_maximum_count=b.stream_tokens,
                zlib_maximum_output_length=b.stream_bytes,
                lzw_maximum_output_length=b.stream_bytes,
                run_length_maximum_output_length=b.stream_bytes,
                array_based_stream_maximum_output_length=b.stream_bytes,
                brotli_maximum_output_length=b.stream_bytes,
            ):
                yield
        except LimitReachedError as err:
            raise TooComplex(self._why(str(err))) from None

    def over(self, err: BaseException) -> TooComplex | None:
        """``err`` as :class:`TooComplex` when it is pypdf saying a limit was reached (code
        that catches every pypdf error per page must let the budget through)."""
        from pypdf.errors import LimitReachedError

        if isinstance(err, TooComplex):
            return err
        return TooComplex(self._why(str(err))) if isinstance(err, LimitReachedError) else None

    def _why(self, pypdf_says: str) -> str:
        b = self.budget
        if "tokens" in pypdf_says:
            return f"un flux de contenu dessine plus de {_count(b.stream_tokens)} éléments"
        if "decompress" in pypdf_says or "output" in pypdf_says:
            return f"un flux dépasse {_mib(b.stream_bytes)} une fois décompressé"
        return f"une limite de lecture est atteinte : {pypdf_says}"

    def check_page(self, page: Any, number: int) -> None:
        """The decoded size of page ``number``'s content (1-based), before it is parsed."""
        self.check_time()
        with self.limits():
            contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        if size > self.budget.page_bytes:
            raise TooComplex(
                f"le contenu de la page {number} fait {_mib(size)} une fois décompressé, "
                f"au-delà de {_mib(self.budget.page_bytes)}"
            )

    def check_time(self) -> None:
        spent = time.thread_time() - self.started
        if spent > self.budget.cpu_seconds:
            raise TooComplex(
                f"plus de {self.budget.cpu_seconds:g} s de calcul pour en lire le texte".replace(
                    ".", ","
                )
            )

    def tick(self, *_args: Any) -> None:
        """A pypdf ``visitor_operand_before``: the time checked every 1 024 operators."""
        self._ticks += 1
        if not self._ticks & 1023:
            self.check_time()

    def add_text(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > self.budget.text_chars:
            raise TooComplex(f"plus de {_count(self.budget.text_chars)} caractères de texte")
        return text
