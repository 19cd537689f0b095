"""Anomaly detection: each kind triggered, and a look-alike that must not trigger."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import get_args

import pytest

from khazna.ledger.db import Ledger
from khazna.ledger.models import BankLine, Commitment, Company, Expense, Setting, Supplier
from khazna.tools.anomalies import (
    DETECTORS,
    KINDS,
    AnomaliesInput,
    AnomalyKind,
    confirm_not_duplicate,
    confirmed_pairs,
    detect_anomalies,
    load_policy,
)

D = Decimal
POLICY = {
    "treasury": {"safety_threshold": 3500000},
    "expenses": {
        "receipt_required_above": 5000,
        "max_per_transaction": {"restaurant": 15000, "carburant": 20000},
        "max_per_month": {"deplacements": "200000"},
        "card_allowed_categories": {"CARD-01": ["carburant", "deplacements", "restaurant"]},
    },
}


def _exp(
    eid: str, d: date | str, amount: str, payee: str = "SARL X", category: str = "fournitures", **kw
) -> Expense:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return Expense(expense_id=eid, date=d, payee=payee, category=category, amount=D(amount),
                   receipt=kw.pop("receipt", "yes"), **kw)  # fmt: skip


def _ledger(url: str, *groups, policy: dict | None = POLICY) -> Ledger:
    ledger = Ledger(url)
    with ledger.session() as s:
        s.add(
            Company(
                name="Atlas Services", opening_balance=D("1000000"), opening_date=date(2025, 1, 1)
            )
        )
        if policy is not None:
            s.add(Setting(key="policy", value=policy))
        s.flush()
        for g in groups:
            s.add_all(g)
            s.flush()
    return ledger


def _run(ledger: Ledger, **kw) -> list:
    with ledger.read() as s:
        return detect_anomalies(s, AnomaliesInput(**kw)).anomalies


def _kinds(found, kind: str) -> list[list[str]]:
    return [a.refs for a in found if a.kind == kind]


def test_same_supplier_invoice_paid_twice(db_url: str) -> None:
    ledger = _ledger(db_url, [Supplier(supplier_id="S8", name="SARL Info Plus", category="equipement")], [
        _exp("E-0101", "2026-10-03", "145000", "SARL Info Plus", "equipement", supplier_id="S8",
             supplier_invoice="FV-2291"),
        _exp("E-0102", "2026-10-15", "145000", "Info Plus", "equipement", supplier_invoice="fv-2291 "),
    ])  # fmt: skip
    found = _run(ledger)
    [dup] = [a for a in found if a.kind == "duplicate_payment"]
    assert dup.refs == ["E-0101", "E-0102"] and dup.amount == D("145000")
    assert dup.severity == "high" and dup.date == date(2026, 10, 15)
    assert (
        "FV-2291" in dup.reason
        and "03/10/2026" in dup.reason
        and "145\u202f000,00 DA" in dup.reason
    )


def test_same_amount_same_payee_within_a_week_despite_label_noise(db_url: str) -> None:
    ledger = _ledger(db_url, [[
        _exp("E1", "2026-10-01", "265000", "SARL Dev Lab", "sous_traitance", supplier_invoice="FA-1"),
        _exp("E2", "2026-10-04", "265000", "DEV LAB (SARL).", "sous_traitance"),
        _exp("E3", "2026-10-20", "265000", "SARL Dev Lab", "sous_traitance"),  # 16 days later: not suspect
    ]][0])  # fmt: skip
    assert _kinds(_run(ledger), "duplicate_payment") == [["E1", "E2"]]


def test_not_duplicates(db_url: str) -> None:
    start = date(2025, 1, 15)
    monthly = [_exp(f"M{k}", start + timedelta(days=30 * k), "35700", "Icosnet", "telecom",
                    supplier_invoice="CONTRAT-77") for k in range(6)]  # fmt: skip
    ledger = _ledger(db_url, monthly, [
        # two orders of the same amount, two different supplier invoices
        _exp("T1", "2026-09-01", "18400", "Bureau Plus", supplier_invoice="FA09-1123"),
        _exp("T2", "2026-09-03", "18400", "Bureau Plus", supplier_invoice="FA09-1131"),
        # the annual insurance premium, same policy number each year
        _exp("A1", "2025-03-10", "480000", "SAA", "assurance", supplier_invoice="POLICE 7781"),
        _exp("A2", "2026-03-10", "480000", "SAA", "assurance", supplier_invoice="POLICE 7781"),
        # small equal cash purchases
        _exp("C1", "2026-09-10", "2700", "Caisse", method="especes"),
        _exp("C2", "2026-09-12", "2700", "Caisse", method="especes"),
        # two genuine equal payments the owner confirmed
        _exp("G1", "2026-08-01", "90000", "Cabinet Amrani", "honoraires"),
        _exp("G2", "2026-08-02", "90000", "Cabinet Amrani", "honoraires"),
    ])  # fmt: skip
    with ledger.session() as s:
        assert _kinds(detect_anomalies(s, AnomaliesInput()).anomalies, "duplicate_payment") == [
            ["G1", "G2"]
        ]
        confirm_not_duplicate(s, "G2", "G1")
        confirm_not_duplicate(s, "G1", "G2")  # twice: stored once
    with ledger.read() as s:
        assert confirmed_pairs(s) == {frozenset({"G1", "G2"})}
    assert _kinds(_run(ledger), "duplicate_payment") == []


def test_confirm_refuses_unknown_refs(db_url: str) -> None:
    ledger = _ledger(db_url, [_exp("E1", "2026-01-01", "100")])
    with ledger.session() as s, pytest.raises(ValueError, match="E9"):
        confirm_not_duplicate(s, "E1", "E9")


def test_over_limit_per_transaction_and_per_month(db_url: str) -> None:
    ledger = _ledger(db_url, [
        _exp("R1", "2026-10-02", "22800", "El Djenina", "restaurant"),
        _exp("R2", "2026-10-03", "15000", "El Djenina", "restaurant"),  # at the cap: fine
        _exp("D1", "2026-08-06", "78000", "K. Benali", "deplacements"),
        _exp("D2", "2026-08-13", "64500", "K. Benali", "deplacements"),
        _exp("D3", "2026-08-20", "71200", "K. Benali", "deplacements"),
        _exp("D4", "2026-09-20", "150000", "K. Benali", "deplacements"),  # under the monthly cap
    ])  # fmt: skip
    found = [a for a in _run(ledger) if a.kind == "over_limit"]
    assert sorted(a.refs for a in found) == [["D1", "D2", "D3"], ["R1"]]
    month = next(a for a in found if len(a.refs) == 3)
    assert (
        month.amount == D("213700")
        and "08/2026" in month.reason
        and "200\u202f000,00 DA" in month.reason
    )


def test_card_used_outside_its_categories(db_url: str) -> None:
    ledger = _ledger(db_url, [
        _exp("K1", "2026-10-09", "38900", "Jumia DZ", "equipement", card_id="CARD-01"),
        _exp("K2", "2026-10-10", "8000", "Naftal", "carburant", card_id="CARD-01"),
        _exp("K3", "2026-10-11", "8000", "Jumia DZ", "equipement", card_id="CARD-02"),  # no rule for that card
    ])  # fmt: skip
    [a] = [a for a in _run(ledger) if a.kind == "category_not_allowed"]
    assert a.refs == ["K1"] and "CARD-01" in a.reason


def test_missing_receipt(db_url: str) -> None:
    ledger = _ledger(db_url, [
        _exp("N1", "2026-10-01", "9800", "Le Tassili", "restaurant", receipt="no"),
        _exp("N2", "2026-10-01", "4800", "La Poste", "transport", receipt="no"),  # below the threshold
        _exp("N3", "2026-10-01", "9800", "Le Tassili", "restaurant", receipt="yes"),
        _exp("N4", "2026-10-25", "3500000", "Personnel", "salaires", receipt="no"),  # salaries: no receipt
    ])  # fmt: skip
    assert _kinds(_run(ledger), "missing_receipt") == [["N1"]]


def test_amount_outlier_against_a_stable_history(db_url: str) -> None:
    base = date(2026, 1, 10)
    usual = ["18000", "22500", "25000", "31000", "19800", "27600", "24000"]
    history = [_exp(f"H{k}", base + timedelta(days=30 * k), a, "Clim Service", "maintenance")
               for k, a in enumerate(usual)]  # fmt: skip
    ledger = _ledger(db_url, history, [
        _exp("O1", "2026-09-01", "310000", "CLIM SERVICE", "maintenance"),
        _exp("O2", "2026-09-15", "33500", "Clim Service", "maintenance"),  # a bit above the usual: fine
        _exp("I1", "2025-03-10", "480000", "SAA", "assurance"),  # too little history to judge
        _exp("I2", "2026-03-10", "520000", "SAA", "assurance"),
    ])  # fmt: skip
    [a] = [a for a in _run(ledger) if a.kind == "amount_outlier"]
    assert a.refs == ["O1"] and "Clim Service" in a.reason or "CLIM SERVICE" in a.reason


def test_unknown_payee_on_the_statement(db_url: str) -> None:
    known = [BankLine(line_id=f"K{m}", date=date(2026, m, 5), label=f"PRLV ABONNEMENT XYZ {m:02d}",
                      amount=D("-4900")) for m in range(6, 10)]  # fmt: skip
    ledger = _ledger(
        db_url,
        [Supplier(supplier_id="S1", name="SARL Batimetal", category="achats_marchandises")],
        [Commitment(commitment_id="CM-PRET", label="Prêt", category="remboursement_emprunt", amount=D("250000"),
                    day_of_month=10, every_months=1, start=date(2026, 1, 1)),
         _exp("E1", "2026-10-01", "45000", "Imprimerie El Feth", "publicite", reference="OV1")],  # fmt: skip
        known,
        [BankLine(line_id=lid, date=date.fromisoformat(d), label=lab, amount=D(a), reference=ref)
         for lid, d, lab, a, ref in (
             ("U1", "2026-09-26", "VIR EMIS SARL NOUR IMPEX", "-420000", ""),
             ("U2", "2026-10-01", "VIR EMIS IMPRIMERIE EL FETH", "-45000", "OV1"),  # its expense
             ("U3", "2026-10-02", "VIR EMIS BATIMETAL", "-12000", ""),  # a known supplier
             ("U4", "2026-10-10", "VIR EMIS 00451", "-250000", ""),  # the loan instalment
             ("U5", "2026-10-11", "RETRAIT DAB", "-30000", ""),  # keyword rule
             ("U6", "2026-10-12", "VIR RECU INCONNU", "50000", ""),  # a credit
         )],
    )  # fmt: skip
    found = _run(ledger)
    assert _kinds(found, "unknown_payee") == [["U1"]]
    [u] = [a for a in found if a.kind == "unknown_payee"]
    assert u.amount == D("420000") and "NOUR IMPEX" in u.reason
    # the period filter
    assert _kinds(_run(ledger, date_from=date(2026, 10, 1)), "unknown_payee") == []


def test_same_debit_twice_on_the_statement(db_url: str) -> None:
    ledger = _ledger(db_url, [
        BankLine(line_id="B1", date=date(2026, 10, 1), label="PRLV ABONNEMENT LOGICIEL 7781", amount=D("-58000")),
        BankLine(line_id="B2", date=date(2026, 10, 3), label="PRLV ABONNEMENT LOGICIEL 7781", amount=D("-58000")),
        BankLine(line_id="B3", date=date(2026, 10, 3), label="RETRAIT DAB", amount=D("-30000")),
        BankLine(line_id="B4", date=date(2026, 10, 4), label="RETRAIT DAB", amount=D("-30000")),
    ])  # fmt: skip
    assert _kinds(_run(ledger), "duplicate_payment") == [["B1", "B2"]]


def test_policy_defaults_when_absent(db_url: str) -> None:
    ledger = _ledger(db_url, [_exp("R1", "2026-10-02", "22800", "El Djenina", "restaurant", receipt="no")],
                     policy=None)  # fmt: skip
    with ledger.read() as s:
        assert load_policy(s).receipt_required_above == D("5000")
    found = _run(ledger)
    assert [a.kind for a in found] == ["missing_receipt"]  # no caps without a policy


def test_cli_anomalies_and_confirm(db_url: str, capsys) -> None:
    from khazna.cli import main

    _ledger(db_url, [_exp("G1", "2026-08-01", "90000", "Cabinet Amrani", "honoraires"),
                         _exp("G2", "2026-08-02", "90000", "Cabinet Amrani", "honoraires")])  # fmt: skip
    assert main(["anomalies", "--db", db_url, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(a["kind"], a["refs"], a["amount"]) for a in doc["anomalies"]] == [
        ("duplicate_payment", ["G1", "G2"], 90000)
    ]
    assert main(["anomalies", "--db", db_url, "confirm", "G1", "G2"]) == 0
    capsys.readouterr()
    assert main(["anomalies", "--db", db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["anomalies"] == []
    assert main(["anomalies", "--db", db_url, "confirm", "G1", "NOPE"]) == 1
    assert "NOPE" in capsys.readouterr().err


def test_every_anomaly_kind_has_one_entry_with_a_detector_and_a_label():
    assert set(KINDS) == set(get_args(AnomalyKind))
    for spec in KINDS.values():
        assert spec.detectors and set(spec.detectors) <= set(DETECTORS)
        assert spec.label_fr


def test_cli_anomalies_text_summary_top_and_csv(db_url: str, capsys, tmp_path) -> None:
    import csv as _csv

    from khazna.cli import main

    pairs = []
    for k in range(12):  # 12 duplicate pairs -> more anomalies than the summary shows
        day = f"2026-08-{k + 1:02d}"
        pairs += [_exp(f"G{k}a", day, f"{90000 + k}", f"Cabinet {k}", "honoraires"),
                  _exp(f"G{k}b", day, f"{90000 + k}", f"Cabinet {k}", "honoraires")]  # fmt: skip
    _ledger(db_url, pairs)
    assert main(["anomalies", "--db", db_url, "--json"]) == 0
    total = len(json.loads(capsys.readouterr().out)["anomalies"])
    assert total > 10
    target = tmp_path / "anomalies.csv"
    assert main(["anomalies", "--db", db_url, "--csv", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"{total} anomalies" in out and "paiements en double" in out
    assert out.count("[élevée]") + out.count("[moyenne]") + out.count("[faible]") == 10
    assert "duplicate_payment" not in out and "[high]" not in out
    assert f"Toutes les anomalies : {target}" in out
    with target.open(encoding="utf-8") as f:
        rows = list(_csv.DictReader(f))
    assert len(rows) == total and {"G11a;G11b"} <= {r["refs"] for r in rows}
    assert main(["anomalies", "--db", db_url, "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count("[élevée]") + out.count("[moyenne]") + out.count("[faible]") == total
