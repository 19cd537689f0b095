"""Open amounts, aged balance, DSO, payment profiles and risk on a ledger computed by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.tools.payment_profiles import payment_profiles, riskiest
from khazna.tools.receivables import aging_report, bucket_of, open_invoices

AS_OF = date(2026, 3, 31)

COMPANY = {"name": "Test SARL", "opening_balance": 1000000.00, "opening_date": "2025-06-01"}
CLIENTS = [
    # client_id, name, kind
    ("C1", "Alpha PME", "pme"),
    ("C2", "APC Test", "administration"),
    ("C3", "Grand Compte", "grand_compte"),
    ("C8", "Beta PME", "pme"),
    ("C9", "Gamma PME", "pme"),
]
INVOICES = [
    # number, client, issue, due, ttc, status, credited
    ("F1", "C1", "2026-01-01", "2026-01-31", "1000.00", "issued", ""),  # partial 400 → 600, 59 d
    ("F2", "C1", "2026-02-01", "2026-03-31", "500.00", "issued", ""),  # due today → not_due
    (
        "F3",
        "C1",
        "2026-02-10",
        "2026-03-01",
        "300.00",
        "issued",
        "",
    ),  # credit note −100 → 200, 30 d
    ("A1", "C1", "2026-03-05", "2026-03-05", "-100.00", "issued", "F3"),
    ("F4", "C2", "2025-11-01", "2025-12-01", "2000.00", "issued", ""),  # returned cheque → over_90
    ("F5", "C3", "2026-01-05", "2026-02-04", "700.00", "issued", ""),  # paid by P3 (oldest first)
    ("F6", "C3", "2026-01-20", "2026-02-19", "800.00", "issued", ""),  # 300 of P3 → 500, 40 d
    ("F7", "C3", "2026-01-25", "2026-02-24", "999.00", "cancelled", ""),
    ("F8", "C3", "2026-04-05", "2026-05-05", "123.00", "issued", ""),  # after as-of
    # payment history for the profiles: C9 late 10, 20, 30, 40 days; C8 on time
    ("H1", "C9", "2025-09-01", "2025-10-01", "100.00", "issued", ""),
    ("H2", "C9", "2025-10-01", "2025-10-31", "100.00", "issued", ""),
    ("H3", "C9", "2025-11-01", "2025-12-01", "100.00", "issued", ""),
    ("H4", "C9", "2025-12-01", "2025-12-31", "100.00", "issued", ""),
    ("H5", "C8", "2025-12-01", "2025-12-31", "100.00", "issued", ""),
]
PAYMENTS = [
    # id, date, client, invoices, amount, method, status
    ("P1", "2026-02-15", "C1", "F1", "400.00", "virement", "cleared"),
    ("P2", "2025-12-20", "C2", "F4", "2000.00", "cheque", "rejected"),
    ("P3", "2026-03-10", "C3", "F6;F5", "1000.00", "virement", "cleared"),
    ("P4", "2026-03-20", "C3", "", "250.00", "virement", "cleared"),
    ("P5", "2026-04-02", "C1", "F2", "500.00", "virement", "cleared"),
    ("Q1", "2025-10-11", "C9", "H1", "100.00", "virement", "cleared"),
    ("Q2", "2025-11-20", "C9", "H2", "100.00", "virement", "cleared"),
    ("Q3", "2025-12-31", "C9", "H3", "100.00", "virement", "cleared"),
    ("Q4", "2026-02-09", "C9", "H4", "100.00", "virement", "cleared"),
    ("Q5", "2025-12-31", "C8", "H5", "100.00", "virement", "cleared"),
]
INTERACTIONS = [
    ("I1", "C2", "2026-03-01", "letter", "in", "dispute", "Nous contestons la facture F4")
]


def _csv(header: str, rows) -> str:
    return header + "\n" + "".join(",".join(r) + "\n" for r in rows)


def write_ledger_bundle(
    root: Path,
    *,
    clients=CLIENTS,
    invoices=INVOICES,
    payments=PAYMENTS,
    bank_lines=(),
    commitments=(),
    interactions=INTERACTIONS,
    policy=None,
    company=COMPANY,
) -> Path:
    """A bundle folder from plain rows (shared with test_forecast)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "company.json").write_text(json.dumps(company))
    if policy is not None:
        (root / "policy.json").write_text(json.dumps(policy))
    files = {
        "clients.csv": _csv(
            "client_id,name,kind,payment_terms_days", [(c, n, k, "30") for c, n, k in clients]
        ),
        "invoices.csv": _csv(
            "number,client_id,issue_date,due_date,payment_method,total_ht,total_tva,timbre,total_ttc,status,credited_invoice",
            [
                (n, c, i, d, "virement", t, "0.00", "0", t, s, cr)
                for n, c, i, d, t, s, cr in invoices
            ],
        ),
        "payments.csv": _csv(
            "payment_id,date,client_id,invoice_number,amount,method,status", payments
        ),
        "bank_lines.csv": _csv(
            "line_id,account,date,label,amount",
            [(i, "main", d, lab, a) for i, d, lab, a in bank_lines],
        ),
        "commitments.csv": _csv(
            "commitment_id,label,category,amount,day_of_month,every_months,start,end", commitments
        ),
        "interactions.csv": _csv(
            "interaction_id,client_id,date,channel,direction,kind,text", interactions
        ),
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def load(tmp_path: Path, url: str | None = None, **kw) -> Ledger:
    """The bundle of ``kw`` imported into ``url`` (default: a SQLite file in ``tmp_path``)."""
    ledger = Ledger(url or f"sqlite:///{tmp_path / 'ledger.db'}")
    import_bundle(ledger, write_ledger_bundle(tmp_path / "bundle", **kw))
    return ledger


@pytest.fixture
def ledger(db_url, tmp_path) -> Iterator[Ledger]:
    led = load(tmp_path, db_url)
    yield led
    led.dispose()


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
    ],
)
def test_bucket_edges(dpd, bucket):
    assert bucket_of(dpd) == bucket


def test_open_amounts(ledger):
    with ledger.read() as s:
        items = {o.number: o for o in open_invoices(s, AS_OF)}
    assert items["F1"].open_amount == Decimal("600.00")  # partial payment
    assert items["F1"].days_past_due == 59 and items["F1"].bucket == "31_60"
    assert items["F2"].bucket == "not_due"  # due today
    assert items["F3"].open_amount == Decimal("200.00")  # credit note
    assert items["F3"].bucket == "1_30"
    assert items["F4"].open_amount == Decimal("2000.00")  # returned cheque reopens
    assert items["F4"].bucket == "over_90"
    assert "F5" not in items  # oldest first: P3 pays F5 in full ...
    assert items["F6"].open_amount == Decimal("500.00")  # ... and 300 of F6
    assert "F7" not in items and "F8" not in items and "A1" not in items


def test_later_payment_counts_only_from_its_date(ledger):
    with ledger.read() as s:
        before = {o.number for o in open_invoices(s, date(2026, 4, 1))}
        after = {o.number for o in open_invoices(s, date(2026, 4, 2))}
    assert "F2" in before and "F2" not in after


def test_aging_report(ledger):
    with ledger.read() as s:
        doc = aging_report(s, AS_OF).to_json()
    assert doc["buckets"] == ["not_due", "1_30", "31_60", "61_90", "over_90"]
    t = doc["totals"]
    assert (t["not_due"], t["1_30"], t["31_60"], t["61_90"], t["over_90"], t["total"]) == (
        Decimal("500.00"),
        Decimal("200.00"),
        Decimal("1100.00"),
        0,
        Decimal("2000.00"),
        Decimal("3800.00"),
    )
    by = {c["client_id"]: c for c in doc["clients"]}
    assert by["C1"]["total"] == Decimal("1300.00") and by["C1"]["31_60"] == Decimal("600.00")
    assert by["C3"]["unallocated_credit"] == Decimal("250.00")  # P4 has no invoice
    assert doc["unallocated_credit"] == Decimal("250.00")
    assert set(by["C1"]) >= {
        "client_id",
        "name",
        "not_due",
        "1_30",
        "31_60",
        "61_90",
        "over_90",
        "total",
    }
    # sales issued in (2025-12-31, 2026-03-31]: 1000+500+300−100+700+800 = 3200 → 3800/3200×90
    assert doc["dso_days"] == Decimal("106.9")


def test_aging_one_client_lists_invoices(ledger):
    with ledger.read() as s:
        doc = aging_report(s, AS_OF, client_id="C1").to_json()
    assert [c["client_id"] for c in doc["clients"]] == ["C1"]
    assert [i["number"] for i in doc["clients"][0]["invoices"]] == ["F1", "F3", "F2"]


def test_aging_whole_book_sums_what_each_client_lists(ledger):
    """The whole book is summed in centimes from the rows, one client from its listed
    invoices: the two give the same buckets, totals and counts for every client."""
    with ledger.read() as s:
        book = {c.client_id: c for c in aging_report(s, AS_OF).clients}
        assert book
        for cid, row in book.items():
            one = aging_report(s, AS_OF, client_id=cid).clients[0]
            assert one.model_dump(exclude={"invoices"}) == row.model_dump(exclude={"invoices"})
            assert one.open_invoices == len(one.invoices or [])
            assert one.total == sum((o.open_amount for o in one.invoices or []), Decimal(0))


def test_payment_profiles_with_shrinkage(ledger):
    with ledger.read() as s:
        prof = payment_profiles(s, AS_OF)
    c9 = prof["C9"]
    assert c9.paid_invoices == 4 and c9.median_days_late == 25 and c9.iqr_days == 15
    assert c9.share_late == 1.0
    # pme median over [10, 20, 30, 40, 0] = 20; (4×25 + 3×20) / 7 = 22.9 → 23
    assert c9.typical_delay_days == 23
    assert prof["C8"].typical_delay_days == 15  # (1×0 + 3×20) / 4
    assert prof["C1"].paid_invoices == 0 and prof["C1"].typical_delay_days == 20  # pme median
    assert prof["C2"].returned_cheques == 1


def test_riskiest_explains_its_score(ledger):
    with ledger.read() as s:
        top = riskiest(s, AS_OF, n=3)
    assert top[0].number == "F4"  # 120 days late, returned cheque, disputed, biggest
    f = {x.name: x for x in top[0].factors}
    assert (
        f["days_late"].value == 1.0
        and f["returned_cheques"].value == 0.5
        and f["dispute"].value == 1.0
    )
    assert top[0].score == pytest.approx(sum(x.value * x.weight for x in top[0].factors), abs=1e-3)
    assert all(0 <= r.score <= 1 for r in top)
    assert [r.score for r in top] == sorted((r.score for r in top), reverse=True)


def test_aging_cli_json_and_table(ledger, capsys):
    from khazna.cli import main

    assert main(["aging", "--db", ledger.url, "--as-of", "2026-03-31", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["totals"]["total"] == 3800 and doc["dso_days"] == 106.9
    assert main(["aging", "--db", ledger.url, "--as-of", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "3\u202f800,00 DA" in out and "Alpha PME" in out
