"""A small, hand-made bundle whose figures are known by heart, for ledger tests."""

from __future__ import annotations

import json
from pathlib import Path

COMPANY = {
    "name": "Atlas Services",
    "legal_form": "SARL",
    "capital": 1000000,
    "address": "12 rue Didouche Mourad, 16000 Alger",
    "rc": "16/00-0012345 B 19",
    "nif": "000216001234567",
    "nis": "000216010012345",
    "ai": "16350190602",
    "rib": "00300060000201930048",
    "email": "gerance@atlas.example.dz",
    "phone": "+213 21 00 00 00",
    "language": "fr",
    "opening_balance": 4200000.00,
    "opening_date": "2026-01-01",
}

FILES = {
    "clients.csv": """client_id,name,kind,email,phone,language,payment_terms_days,nif,nis,rc,ai,address
C01,Sonatel SPA,grand_compte,compta@sonatel.example.dz,,fr,30,000116001234567,,,,Hydra
C02,Laiterie Tell,pme,contact@tell.example.dz,,ar,30,,,,,Blida
C03,APC Bab Ezzouar,administration,,,fr,60,,,,,Bab Ezzouar
""",
    "invoices.csv": """number,client_id,issue_date,due_date,payment_method,total_ht,total_tva,timbre,total_ttc,status,credited_invoice
F2026-0001,C01,2026-01-10,2026-02-09,virement,100000.00,19000.00,0,119000.00,issued,
F2026-0002,C02,2026-01-15,2026-02-14,cheque,50000.00,9500.00,0,59500.00,issued,
F2026-0003,C03,2026-02-01,,virement,200000.00,38000.00,0,238000.00,issued,
F2026-0004,C01,2026-02-20,2026-03-22,virement,-10000.00,-1900.00,0,-11900.00,issued,F2026-0001
""",
    "invoice_lines.csv": """number,description,quantity,unit,unit_price_ht,tva_rate
F2026-0001,Maintenance serveurs janvier,1,forfait,100000.00,19
F2026-0002,Développement module de paie,10,jour,5000.00,19
F2026-0003,"Audit réseau, site de Bab Ezzouar",2,jour,100000.00,19
F2026-0004,Avoir sur maintenance janvier,1,forfait,-10000.00,19
""",
    "payments.csv": """payment_id,date,client_id,invoice_number,amount,method,reference,status
P001,2026-02-10,C01,F2026-0001,50000.00,virement,VIR 1,cleared
P002,2026-02-20,C02,F2026-0002,59500.00,cheque,CHQ 0045123,rejected
P003,2026-03-01,C03,F2026-0003;F2026-0002,100000.00,virement,VIR 2,cleared
""",
    "bank_lines.csv": """line_id,account,date,label,amount,reference
B001,main,2026-02-10,VIR RECU SONATEL FACT F2026-0001,50000.00,VIR 1
B002,main,2026-02-20,REMISE CHQ 0045123,59500.00,CHQ 0045123
B003,main,2026-02-27,IMPAYE CHQ 0045123,-59500.00,CHQ 0045123
B004,main,2026-02-25,VIR SALAIRES 02/2026,-1200000.00,
B005,main,2026-03-01,VIR RECU APC BAB EZZOUAR,100000.00,VIR 2
""",
    "expenses.csv": """expense_id,date,supplier_id,payee,category,amount,method,reference,supplier_invoice,employee,card_id,receipt,description
E001,2026-02-25,,Personnel,salaires,1200000.00,virement,,,,,yes,Salaires février
""",
    "commitments.csv": """commitment_id,label,category,amount,day_of_month,every_months,start,end
K01,Salaires,salaires,1200000.00,25,1,2026-01-01,
""",
    "interactions.csv": """interaction_id,client_id,date,channel,direction,kind,text
I01,C02,2026-03-02,phone,in,promise,Le gérant promet de payer le 15/03/2026
I02,C03,2026-03-03,letter,in,,"نعترض على الفاتورة F2026-0003"
""",
}

POLICY = {
    "treasury": {"safety_threshold": 3500000, "horizon_days": 30},
    "dunning": {"levels_days": [3, 10, 30]},
}


def write_bundle(root: Path, **overrides: str | None) -> Path:
    """Write the bundle; ``overrides`` replace (or, with None, drop) a file by name with
    ``.`` written as ``_`` (``clients_csv="..."``)."""
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "company.json": json.dumps(COMPANY, ensure_ascii=False),
        "policy.json": json.dumps(POLICY),
        **FILES,
    }
    for key, value in overrides.items():
        name = key.replace("_csv", ".csv").replace("_json", ".json")
        files[name] = value  # type: ignore[assignment]
    for name, content in files.items():
        if content is not None:
            (root / name).write_text(content, encoding="utf-8")
    return root
