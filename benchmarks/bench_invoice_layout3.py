"""How the PDF reader does on a layout it was not tuned on (``tests/invoice_layout3.py``).

Renders seeded invoices (the eval's base documents, one defect or none each) in the held-out
third layout, reads them back and prints: fields read right out of fields printed, and
documents whose findings are exactly the expected set.

    .venv/bin/python benchmarks/bench_invoice_layout3.py [N]
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from khazna.evals.invoice_cases import AS_OF, DEFECTS, case_document, fits
from khazna.ledger.documents import InvoiceDocument
from khazna.tools.invoice_check import check_document, read_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests/
from tests.invoice_layout3 import render_layout3  # noqa: E402

_TOP = ["number", "issue_date", "due_date", "payment_terms", "payment_method", "total_ht",
        "total_tva", "timbre", "total_ttc", "amount_in_words"]  # fmt: skip
_PARTY = ["name", "legal_form", "capital", "address", "rc", "nif", "nis", "ai", "rib"]
_LINE = ["description", "quantity", "unit_price_ht", "tva_rate", "total_ht"]


def cases(n: int) -> list[dict]:
    """``n`` cases: every fifth clean, the others with one defect that fits."""
    codes = sorted(DEFECTS)
    out = []
    for k in range(n):
        buyer = ("company", "person")[k % 3 == 2]
        method = ("virement", "cheque", "especes")[k % 3]
        code = None if k % 5 == 0 else codes[(k * 7) % len(codes)]
        if code and not fits(code, buyer, method):
            code = None
        out.append({"base": 5000 + k, "buyer": buyer, "method": method,
                    "defects": [code] if code else [], "expect": {code} if code else set()})  # fmt: skip
    return out


def compare(want: InvoiceDocument, got: InvoiceDocument) -> dict[str, bool]:
    """{field: read right} for every field the layout prints."""
    res: dict[str, bool] = {}
    for key in _TOP:
        w = getattr(want, key)
        if key == "timbre" and not w:
            continue  # not printed when zero
        if w is not None:
            res[key] = getattr(got, key) == w
    for role in ("seller", "buyer"):
        for key in _PARTY:
            w = getattr(getattr(want, role), key)
            if w is not None and not (role == "buyer" and key in ("legal_form", "capital")):
                res[f"{role}.{key}"] = getattr(getattr(got, role), key) == w
    ok_lines = len(want.lines) == len(got.lines) and all(
        getattr(a, k) == getattr(b, k) or (k == "total_ht" and a.total_ht is None)
        for a, b in zip(want.lines, got.lines, strict=False)
        for k in _LINE
    )
    res["lines"] = ok_lines
    return res


def run(n: int = 30) -> dict:
    fields: Counter = Counter()
    right: Counter = Counter()
    exact, wrong = 0, Counter()
    with tempfile.TemporaryDirectory(prefix="khazna-l3-") as tmp:
        for k, case in enumerate(cases(n)):
            doc = case_document(case)
            path = render_layout3(doc, Path(tmp) / f"L3-{k}.pdf")
            read = read_pdf(path)
            got = read.document
            for key, ok in compare(doc, got).items():
                fields[key] += 1
                right[key] += ok
            found = {
                f.code
                for f in check_document(
                    got,
                    as_of=AS_OF,
                    buyer_is_person=case["buyer"] == "person",
                    fields=read.fields,
                ).findings
            }
            exact += found == case["expect"]
            for code in found ^ case["expect"]:
                wrong[("fp:" if code in found else "fn:") + code] += 1
    return {"fields": fields, "right": right, "exact": exact, "n": n, "wrong": wrong}


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    r = run(n)
    for key in r["fields"]:
        print(f"{key:22} {r['right'][key]:>3}/{r['fields'][key]}")
    total = sum(r["fields"].values())
    print(f"fields read right: {sum(r['right'].values())}/{total}")
    print(f"documents with exactly the expected findings: {r['exact']}/{r['n']}")
    for code, k in r["wrong"].most_common():
        print(f"  {code}: {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
