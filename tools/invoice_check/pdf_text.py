"""Text out of a PDF with pypdf, with a clear message for every way a PDF can be unusable.

Long PDFs are read in bounded time: the first ``max_pages - 1`` pages and the last one
(totals are usually at the end), each within the document's :class:`PdfBudget` (decoded
content per page, parsing work per stream, CPU seconds, characters): past it the PDF is
"trop complexe à lire" (``khazna.ledger.pdf_budget``).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from khazna.ledger.pdf_budget import PdfBudget, Reading, TooComplex
from khazna.text import count
from khazna.tools.invoice_check.models import InvoiceReadError

log = logging.getLogger(__name__)

# NUL: a narrow no-break space drawn with a font lacking the glyph comes back as U+0000.
_SPACE_LIKE = re.compile(r"[\x00\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\t]")


def normalise(text: str) -> str:
    """NFKC, every no-break or thin space (and NUL) → space, minus sign → hyphen."""
    t = unicodedata.normalize("NFKC", text)
    t = _SPACE_LIKE.sub(" ", t)
    return t.replace("\u2212", "-").replace("\u2010", "-").replace("\u2011", "-")


@dataclass
class PdfText:
    layout: list[str]  # lines in layout mode (columns kept as spaces)
    plain: list[str]  # lines in pypdf's default mode
    pages_total: int
    pages_read: int
    notes: list[str] = field(default_factory=list)


def _open(data: bytes, name: str, reading: Reading):
    # lazy: pypdf (0.10 s) only when a PDF is read
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InvoiceReadError(f"{name}: pas un fichier PDF (pas d'en-tête %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError) as err:
                raise InvoiceReadError(
                    f"{name}: PDF chiffré que cette installation ne sait pas déchiffrer ({err})"
                ) from None
            if not ok:
                raise InvoiceReadError(
                    f"{name}: PDF chiffré (protégé par mot de passe) : exportez une copie non protégée"
                )
        n = len(reader.pages)
    except InvoiceReadError:
        raise
    except (PdfReadError, FileNotDecryptedError) as err:
        raise InvoiceReadError(f"{name}: PDF abîmé ou tronqué ({err})") from None
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on broken files
        if (over := reading.over(err)) is not None:
            raise over from None
        raise InvoiceReadError(
            f"{name}: PDF abîmé ou tronqué ({type(err).__name__} : {err})"
        ) from None
    if n == 0:
        raise InvoiceReadError(f"{name}: PDF abîmé ou tronqué (aucune page trouvée)")
    return reader, n


def too_complex(name: str, err: TooComplex) -> InvoiceReadError:
    return InvoiceReadError(
        f"{name}: PDF trop complexe à lire ({err.reason}) : demandez le PDF d'origine, "
        "ou saisissez la facture en JSON"
    )


def extract_text(
    data: bytes, name: str, max_pages: int = 10, budget: PdfBudget | None = None
) -> PdfText:
    """The PDF's text; raises :class:`InvoiceReadError` with a message a person can act on."""
    reading = Reading(budget)
    try:
        with reading.limits():
            return _extract(data, name, max_pages, reading)
    except TooComplex as err:
        raise too_complex(name, err) from None


def _extract(data: bytes, name: str, max_pages: int, reading: Reading) -> PdfText:
    reader, n = _open(data, name, reading)
    if n > max_pages:
        indexes = list(range(max_pages - 1)) + [n - 1]
        notes = [f"long PDF: read pages 1-{max_pages - 1} and {n} of {n}"]
    else:
        indexes, notes = list(range(n)), []
    layout: list[str] = []
    plain: list[str] = []
    failed = 0
    for i in indexes:
        try:
            page = reader.pages[i]
            reading.check_page(page, i + 1)
            p = reading.add_text(page.extract_text(visitor_operand_before=reading.tick) or "")
            reading.check_time()
            try:
                lay = page.extract_text(extraction_mode="layout") or ""
            except Exception as err:  # noqa: BLE001 - layout mode is fragile; plain text suffices
                if (over := reading.over(err)) is not None:
                    raise over from None
                lay = p
            reading.add_text(lay)
            reading.check_time()
        except Exception as err:  # noqa: BLE001
            if (over := reading.over(err)) is not None:
                raise over from None
            failed += 1
            log.info("%s: page %d unreadable: %s", name, i + 1, err)
            continue
        plain.extend(normalise(p).splitlines())
        layout.extend(normalise(lay).splitlines())
        layout.append("")
    if failed == len(indexes):
        raise InvoiceReadError(f"{name}: PDF abîmé ou tronqué (aucune page lisible)")
    if failed:
        notes.append(count(failed, "page illisible", "pages illisibles"))
    if not any(ln.strip() for ln in plain + layout):
        raise InvoiceReadError(
            f"{name}: pas de couche de texte (numérisé ?) : le PDF ne contient que des images ; "
            "demandez le PDF d'origine ou saisissez la facture en JSON"
        )
    return PdfText(layout=layout, plain=plain, pages_total=n, pages_read=len(indexes), notes=notes)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvoiceReadError(f"{path}: fichier introuvable") from None
    except OSError as err:
        raise InvoiceReadError(f"{path}: illisible ({err.strerror})") from None
