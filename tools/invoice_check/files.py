"""Invoice documents from files: JSON (validated field by field) or PDF."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from khazna.ledger.documents import InvoiceDocument
from khazna.tools.invoice_check.currency import DINAR, read_currency
from khazna.tools.invoice_check.models import CheckResult, CheckSettings, InvoiceReadError
from khazna.tools.invoice_check.pdf_read import read_pdf_bytes
from khazna.tools.invoice_check.pdf_text import read_bytes
from khazna.tools.invoice_check.rules import check_document

_WHAT = {
    "decimal": "pas un nombre",
    "float": "pas un nombre",
    "int": "pas un nombre entier",
    "date": "pas une date AAAA-MM-JJ",
    "string": "pas un texte",
    "list": "pas une liste",
    "model": "pas un objet",
    "dict": "pas un objet",
}


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _explain(err: ValidationError, name: str) -> str:
    problems = []
    for e in err.errors():
        kind = e["type"].split("_")[0]
        what = _WHAT.get(kind, e["msg"])
        problems.append(f"{name}: {_loc(e['loc'])}: {what} ({e.get('input')!r})")
    return "; ".join(problems)


def parse_json_document(data: bytes, name: str) -> InvoiceDocument:
    """A structured invoice document; every problem names the file and the field."""
    try:
        raw = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise InvoiceReadError(f"{name}: pas un texte UTF-8") from None
    except json.JSONDecodeError as err:
        raise InvoiceReadError(
            f"{name}: ligne {err.lineno} colonne {err.colno} : JSON invalide ({err.msg})"
        ) from None
    if not isinstance(raw, dict):
        raise InvoiceReadError(
            f"{name}: une facture JSON est un objet, pas une liste ni une valeur"
        )
    try:
        return InvoiceDocument.model_validate(raw)
    except ValidationError as err:
        raise InvoiceReadError(_explain(err, name)) from None


def document_currency(doc: InvoiceDocument) -> str:
    """A structured document's ``currency`` (an extra field, an ISO code or a shape such as
    « € » or « DA »); the dinar when it says none."""
    said = (doc.model_extra or {}).get("currency")
    if not isinstance(said, str) or not said.strip():
        return DINAR
    code = said.strip().upper()
    return code if re.fullmatch(r"[A-Z]{3}", code) else read_currency([said])


def check_bytes(
    data: bytes,
    name: str,
    as_of: date,
    *,
    pdf: bool,
    buyer_is_person: bool = False,
    rules: CheckSettings | None = None,
) -> CheckResult:
    if pdf:
        read = read_pdf_bytes(data, name, rules)
        result = check_document(
            read.document,
            as_of=as_of,
            buyer_is_person=buyer_is_person,
            rules=rules,
            fields=read.fields,
            currency=read.currency,
        )
        result.unread, result.notes = read.unread, list(read.notes)
    else:
        doc = parse_json_document(data, name)
        result = check_document(
            doc,
            as_of=as_of,
            buyer_is_person=buyer_is_person,
            rules=rules,
            structured=True,
            currency=document_currency(doc),
        )
    result.source = name
    return result


def check_file(
    path: Path | str,
    as_of: date,
    *,
    buyer_is_person: bool = False,
    rules: CheckSettings | None = None,
) -> CheckResult:
    """Check a PDF or JSON invoice file; raises InvoiceReadError when it cannot be read."""
    path = Path(path)
    if path.is_dir():
        raise InvoiceReadError(f"{path}: est un dossier, pas un fichier de facture")
    data = read_bytes(path)
    is_pdf = path.suffix.lower() == ".pdf" or data.lstrip()[:5] == b"%PDF-"
    if not is_pdf and path.suffix.lower() not in (".json", ""):
        raise InvoiceReadError(f"{path}: expected a .pdf or .json invoice")
    return check_bytes(
        data, str(path), as_of, pdf=is_pdf, buyer_is_person=buyer_is_person, rules=rules
    )
