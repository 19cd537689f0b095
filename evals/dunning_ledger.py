"""The ledger of the dunning cases: one bundle, one client per case (``datasets/dunning.yaml``)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

from khazna.money import q2, to_json_number
from khazna.words import amount_in_words

COMPANY = {
    "name": "Atlas Services", "legal_form": "SARL", "capital": 5000000,
    "address": "18 rue des Frères Bouadou, Bir Mourad Raïs, 16000 Alger",
    "rc": "16/00-0012345 B 19", "nif": "000216001234567", "nis": "000216010012345",
    "ai": "16350190602", "rib": "00300060000201930048", "email": "gerance@atlas.example.dz",
    "phone": "+213 21 00 00 00", "language": "fr", "opening_balance": 3000000.00,
    "opening_date": "2025-11-01",
}  # fmt: skip
POLICY = {
    "treasury": {"safety_threshold": 1000000, "horizon_days": 30},
    "dunning": {"levels_days": [3, 10, 30]},
}
COLUMNS = {
    "clients.csv": "client_id name kind email phone language payment_terms_days nif nis rc ai address",
    "invoices.csv": "number client_id issue_date due_date payment_method total_ht total_tva timbre "
    "total_ttc status credited_invoice",
    "invoice_lines.csv": "number description quantity unit unit_price_ht tva_rate",
    "payments.csv": "payment_id date client_id invoice_number amount method reference status",
    "bank_lines.csv": "line_id account date label amount reference",
    "interactions.csv": "interaction_id client_id date channel direction kind text",
}


def client_id(case: dict) -> str:
    return "C" + case["id"][1:]


def _invoice(cid: str, inv: dict) -> tuple[dict, dict]:
    ht = Decimal(str(inv["ht"]))
    tva = q2(ht * Decimal("0.19"))
    row = {"number": inv["number"], "client_id": cid, "issue_date": inv["issue"], "due_date": inv["due"],
           "payment_method": "virement", "total_ht": f"{ht:.2f}", "total_tva": f"{tva:.2f}", "timbre": "0",
           "total_ttc": f"{ht + tva:.2f}", "status": "issued", "credited_invoice": ""}  # fmt: skip
    line = {"number": inv["number"], "description": "Prestations informatiques (contrat de maintenance)",
            "quantity": "1", "unit": "forfait", "unit_price_ht": f"{ht:.2f}", "tva_rate": "19"}  # fmt: skip
    return row, line


# what an invoice document printed wrong looks like (a case's invoice ``doc``: "clean" or one
# of these): the invoice checker's error-level findings a reminder must not ignore
DOC_DEFECTS = {
    "words": "AMOUNT_IN_WORDS_MISMATCH",  # the amount in words is another amount
    "seller_nif": "SELLER_NIF_MISSING",  # a mandatory mention missing
}
BUYER_IDS = {"nif": "000916001234567", "nis": "000916010012345", "rc": "16/00-0099999 B 20",
             "ai": "16350190699"}  # fmt: skip


def invoice_document(case: dict, inv: dict) -> dict:
    """The printed invoice (documents/<number>.json, spec/cli.md's shape) as the ledger row
    says it, with the case's defect when ``inv["doc"]`` names one."""
    row, line = _invoice(client_id(case), inv)
    ttc = Decimal(row["total_ttc"])
    seller = {k: COMPANY[k] for k in ("name", "legal_form", "capital", "address", "rc", "nif",
                                      "nis", "ai", "rib")}  # fmt: skip
    buyer = {"name": case["client"]["name"], "address": "Alger"}
    if case["client"]["kind"] != "particulier":
        buyer |= BUYER_IDS
    doc = {
        "number": inv["number"], "issue_date": inv["issue"], "due_date": inv["due"],
        "payment_terms": "30 jours", "payment_method": "virement", "seller": seller,
        "buyer": buyer,
        "lines": [{"description": line["description"], "quantity": 1, "unit": "forfait",
                   "unit_price_ht": to_json_number(Decimal(line["unit_price_ht"])), "tva_rate": 19,
                   "total_ht": to_json_number(Decimal(row["total_ht"]))}],
        "total_ht": to_json_number(Decimal(row["total_ht"])),
        "total_tva": to_json_number(Decimal(row["total_tva"])), "timbre": 0,
        "total_ttc": to_json_number(ttc), "amount_in_words": amount_in_words(ttc),
    }  # fmt: skip
    if inv["doc"] == "words":
        doc["amount_in_words"] = amount_in_words(ttc - 1000)
    elif inv["doc"] == "seller_nif":
        del doc["seller"]["nif"]
    return doc


def write_bundle(cases: list[dict], root: Path) -> Path:
    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for case in cases:
        cid, c = client_id(case), case["client"]
        ids = (
            BUYER_IDS
            if c["kind"] != "particulier" and any(i.get("doc") for i in case["invoices"])
            else {}
        )
        rows["clients.csv"].append({"client_id": cid, "name": c["name"], "kind": c["kind"], "email": c["email"],
                                    "language": c["language"], "payment_terms_days": "30",
                                    "address": "Alger", **ids})  # fmt: skip
        for inv in case["invoices"] + case.get("not_due", []) + case.get("paid_late", []):
            row, line = _invoice(cid, inv)
            rows["invoices.csv"].append(row)
            rows["invoice_lines.csv"].append(line)
            if "paid" in inv:
                rows["payments.csv"].append({"payment_id": f"P-{inv['number']}", "date": inv["paid"], "client_id": cid,
                                             "invoice_number": inv["number"], "amount": row["total_ttc"],
                                             "method": "virement", "reference": f"VIR {inv['number']}",
                                             "status": "cleared"})  # fmt: skip
        for k, p in enumerate(case.get("payments", []), start=1):
            rows["payments.csv"].append({"payment_id": f"P-{case['id']}-{k}", "date": p["date"], "client_id": cid,
                                         "invoice_number": p["invoice"], "amount": f"{Decimal(str(p['amount'])):.2f}",
                                         "method": "virement", "reference": f"VIR {case['id']}-{k}",
                                         "status": "cleared"})  # fmt: skip
        for k, h in enumerate(case.get("history", []), start=1):
            rows["interactions.csv"].append({"interaction_id": f"I-{case['id']}-{k}", "client_id": cid, "date": h["date"],
                                             "channel": "email", "direction": "in" if h["kind"] != "reminder" else "out",
                                             "kind": h["kind"], "text": h["text"]})  # fmt: skip
    root.mkdir(parents=True, exist_ok=True)
    (root / "company.json").write_text(json.dumps(COMPANY, ensure_ascii=False), encoding="utf-8")
    (root / "policy.json").write_text(json.dumps(POLICY), encoding="utf-8")
    for name, cols in COLUMNS.items():
        with (root / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols.split(), lineterminator="\n")
            w.writeheader()
            for r in rows[name]:
                w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols.split()})
    pieces = [inv["number"] for case in cases for inv in case["invoices"] if inv.get("asf")]
    for number in pieces:  # an attestation de service fait the public buyer signed
        (root / "documents").mkdir(exist_ok=True)
        (root / "documents" / f"{number}-ASF.pdf").write_bytes(
            b"%PDF-1.4\n% attestation de service fait " + number.encode() + b"\n%%EOF\n"
        )
    docs = [(case, inv) for case in cases for inv in case["invoices"] if inv.get("doc")]
    if docs:
        (root / "documents").mkdir(exist_ok=True)
    for case, inv in docs:
        (root / "documents" / f"{inv['number']}.json").write_text(
            json.dumps(invoice_document(case, inv), ensure_ascii=False), encoding="utf-8"
        )
    return root
