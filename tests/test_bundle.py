"""Bundle import/export: the contract of spec/bundle.md, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from khazna.ledger.bundle import BundleError, export_bundle, import_bundle
from khazna.ledger.bundle_spec import CSV_FILES, Invalid
from khazna.ledger.db import Ledger
from khazna.ledger.models import (
    Allocation,
    BankLine,
    Client,
    Expense,
    Interaction,
    Invoice,
    Payment,
)
from khazna.ledger.queries import cash_position
from khazna.tools.receivables import open_invoices
from tests.bundles import FILES, write_bundle


def open_receivables(session, as_of) -> tuple[Decimal, int]:
    opens = [i for i in open_invoices(session, as_of) if i.open_amount > 0]
    return sum((i.open_amount for i in opens), Decimal("0.00")), len(opens)


def _counts(ledger: Ledger) -> dict[str, int]:
    with ledger.read() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Invoice, Payment, BankLine, Allocation)
        }


def test_import_then_figures(db_url, tmp_path):
    ledger = Ledger(db_url)
    report = import_bundle(ledger, write_bundle(tmp_path / "b"))
    assert report.counts["invoices.csv"] == 4 and report.counts["bank_lines.csv"] == 5
    with ledger.read() as s:
        # due date derived from the client's terms (60 days) when empty
        assert s.get(Invoice, "F2026-0003").due_date == date(2026, 4, 2)
        # 4 200 000 + 50 000 + 59 500 − 59 500 − 1 200 000 + 100 000
        assert cash_position(s, date(2026, 3, 31)) == Decimal("3150000.00")
        assert cash_position(s, date(2026, 2, 26)) == Decimal("3109500.00")
        # P003 pays 100 000 across F0003 (oldest first: F0002 issued 15/01 is older) →
        # F0002 gets 59 500, F0003 gets 40 500; the rejected cheque allocates nothing.
        allocs = {(a.payment_id, a.invoice_number): a.amount for a in s.scalars(select(Allocation))}
        assert allocs == {
            ("P001", "F2026-0001"): Decimal("50000.00"),
            ("P003", "F2026-0002"): Decimal("59500.00"),
            ("P003", "F2026-0003"): Decimal("40500.00"),
        }
        # open: F0001 119 000 − 50 000 − 11 900 (credit note) = 57 100; F0003 238 000 − 40 500 = 197 500
        assert open_receivables(s, date(2026, 3, 31)) == (Decimal("254600.00"), 2)


def test_reimport_is_a_no_op(db_url, tmp_path):
    ledger = Ledger(db_url)
    bundle = write_bundle(tmp_path / "b")
    import_bundle(ledger, bundle)
    before = _counts(ledger)
    report = import_bundle(ledger, bundle)
    assert sum(report.counts.values()) == 0
    assert report.unchanged["invoices.csv"] == 4
    assert _counts(ledger) == before


def test_export_gives_back_the_same_records(db_url, tmp_path):
    ledger = Ledger(db_url)
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    export_bundle(ledger, tmp_path / "out")
    for name in FILES:
        original = list(csv.DictReader((tmp_path / "b" / name).open(encoding="utf-8")))
        exported = list(csv.DictReader((tmp_path / "out" / name).open(encoding="utf-8")))
        assert len(original) == len(exported), name
        for o, e in zip(original, exported, strict=True):
            for col, v in o.items():
                if col in ("due_date",) and not v:
                    continue  # derived from the client's terms on import
                if re.fullmatch(r"-?\d+(\.\d+)?", v):
                    assert Decimal(e[col]) == Decimal(v), (name, col)
                else:
                    assert e[col] == v, (name, col, v, e[col])
    # and a second ledger loaded from the export holds the same books
    other = Ledger(f"sqlite:///{tmp_path / 'other.db'}")
    import_bundle(other, tmp_path / "out")
    with ledger.read() as a, other.read() as b:
        assert cash_position(a, date(2026, 3, 31)) == cash_position(b, date(2026, 3, 31))
        assert open_receivables(a, date(2026, 3, 31)) == open_receivables(b, date(2026, 3, 31))


BAD_CASES = [
    (
        "invoices_csv",
        FILES["invoices.csv"].replace("C03,2026-02-01", "C99,2026-02-01"),
        "invoices.csv:4: client_id: client inconnu 'C99'",
    ),
    (
        "invoices_csv",
        FILES["invoices.csv"].replace("2026-01-15", "15/01/2026"),
        "invoices.csv:3: issue_date: pas une date AAAA-MM-JJ : '15/01/2026'",
    ),
    (
        "invoice_lines_csv",
        FILES["invoice_lines.csv"].replace(",10,jour", ",-10,jour"),
        "invoice_lines.csv:3: quantity: quantité négative : '-10'",
    ),
    (
        "payments_csv",
        FILES["payments.csv"].replace("amount,", "montant,"),
        "payments.csv:1: amount: colonne obligatoire absente",
    ),
    (
        "bank_lines_csv",
        FILES["bank_lines.csv"].replace("50000.00,VIR 1", "50 000,00,VIR 1"),
        "bank_lines.csv:2: -: la ligne a 7 champs, l'en-tête en a 6",
    ),
    (
        "bank_lines_csv",
        FILES["bank_lines.csv"].replace("-1200000.00", "-1200000.005"),
        "bank_lines.csv:5: amount: pas un montant avec un point décimal et deux décimales au plus",
    ),
    ("clients_csv", "", "clients.csv:1: -: fichier vide"),
    ("clients_csv", None, "clients.csv:-: -: fichier obligatoire absent"),
    (
        "bank_lines_csv",
        FILES["bank_lines.csv"].replace("B004", "B001"),
        "bank_lines.csv:5: line_id: identifiant 'B001' en double dans ce fichier",
    ),
]


@pytest.mark.parametrize(("file", "content", "expected"), BAD_CASES)
def test_a_bad_bundle_is_refused_whole(db_url, tmp_path, file, content, expected):
    ledger = Ledger(db_url)
    with pytest.raises(BundleError) as err:
        import_bundle(ledger, write_bundle(tmp_path / "b", **{file: content}))
    assert any(p.startswith(expected) for p in err.value.problems), err.value.problems
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 0
        assert s.scalar(select(func.count()).select_from(BankLine)) == 0


def test_every_problem_is_listed(tmp_path, sqlite_url):
    bad = (
        FILES["invoices.csv"]
        .replace("C03,2026-02-01", "C99,2026-02-01")
        .replace("2026-01-15", "2026-13-45")
    )
    with pytest.raises(BundleError) as err:
        import_bundle(Ledger(sqlite_url), write_bundle(tmp_path / "b", invoices_csv=bad))
    assert len([p for p in err.value.problems if p.startswith("invoices.csv")]) == 2


def test_non_utf8_and_huge_rows_are_located(tmp_path, sqlite_url):
    root = write_bundle(tmp_path / "b")
    (root / "clients.csv").write_bytes(
        FILES["clients.csv"].replace("Laiterie", "Laiterie \xe9").encode("latin-1")
    )
    with pytest.raises(BundleError) as err:
        import_bundle(Ledger(sqlite_url), root)
    assert any(
        p.startswith("clients.csv:3: char 14: pas en UTF-8 (octet 0xe9)")
        for p in err.value.problems
    ), err.value.problems
    assert len(err.value.problems) == 1, (
        err.value.problems
    )  # no noise from the rows that refer to it

    root = write_bundle(tmp_path / "c")
    wide = FILES["bank_lines.csv"] + ",".join(["x"] * 5000) + "\n"
    (root / "bank_lines.csv").write_text(wide, encoding="utf-8")
    with pytest.raises(BundleError) as err:
        import_bundle(Ledger(f"sqlite:///{tmp_path / 'c.db'}"), root)
    assert "bank_lines.csv:7: -: la ligne a 5000 champs, l'en-tête en a 6" in err.value.problems


def test_changed_invoice_is_refused_but_client_update_is_taken(tmp_path, sqlite_url):
    ledger = Ledger(sqlite_url)
    import_bundle(ledger, write_bundle(tmp_path / "a"))
    changed = FILES["invoices.csv"].replace("119000.00,issued", "120000.00,issued")
    with pytest.raises(BundleError) as err:
        import_bundle(ledger, write_bundle(tmp_path / "b", invoices_csv=changed))
    assert any(
        "F2026-0001 est déjà au grand livre avec d'autres valeurs (total_ttc)" in p
        for p in err.value.problems
    )
    report = import_bundle(
        ledger,
        write_bundle(
            tmp_path / "c", clients_csv=FILES["clients.csv"].replace("contact@tell", "compta@tell")
        ),
    )
    assert report.updated == {"clients.csv": 1}


def test_bom_and_unknown_columns(tmp_path, sqlite_url):
    root = write_bundle(
        tmp_path / "b",
        clients_csv="\ufeff"
        + FILES["clients.csv"]
        .replace("address\n", "address,couleur\n")
        .replace("Hydra\n", "Hydra,bleu\n")
        .replace("Blida\n", "Blida,\n")
        .replace("Bab Ezzouar\n", "Bab Ezzouar,\n"),
    )
    report = import_bundle(Ledger(sqlite_url), root)
    assert report.counts["clients.csv"] == 3
    assert "clients.csv:1: couleur: colonne inconnue ignorée" in report.warnings


def test_replace_starts_over(tmp_path, sqlite_url):
    ledger = Ledger(sqlite_url)
    import_bundle(ledger, write_bundle(tmp_path / "a"))
    smaller = "line_id,account,date,label,amount,reference\nB9,main,2026-01-05,FRAIS TENUE DE COMPTE,-500.00,\n"
    import_bundle(ledger, write_bundle(tmp_path / "b", bank_lines_csv=smaller), replace=True)
    with ledger.read() as s:
        assert s.scalars(select(BankLine.line_id)).all() == ["B9"]


def test_an_older_bundle_does_not_unfile_a_receipt(tmp_path, sqlite_url):
    from khazna.ledger.models import Expense

    ledger = Ledger(sqlite_url)
    bundle = write_bundle(
        tmp_path / "a", expenses_csv=FILES["expenses.csv"].replace(",yes,Salaires", ",no,Salaires")
    )
    import_bundle(ledger, bundle)
    with ledger.session() as s:
        s.get(Expense, "E001").receipt = "yes"  # attached later (khazna receipts attach)
    import_bundle(ledger, bundle)
    with ledger.read() as s:
        assert s.get(Expense, "E001").receipt == "yes"


def test_a_statement_of_the_same_period_adds_nothing_after_a_bundle(tmp_path, db_url):
    from khazna.ledger.bank_import import import_bank_statement
    from khazna.ledger.bank_mappings import all_mappings

    ledger = Ledger(db_url)
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    statement = tmp_path / "releve.csv"
    statement.write_text(
        "Date;Libellé;Référence;Débit;Crédit\n"
        "10/02/2026;VIR RECU SONATEL FACT F2026-0001;VIR 1;;50 000,00\n"
        "25/02/2026;VIR SALAIRES 02/2026;;1 200 000,00;\n"
        "28/02/2026;FRAIS TENUE DE COMPTE;;500,00;\n",
        encoding="utf-8",
    )
    result = import_bank_statement(ledger.engine, statement, all_mappings([]))
    assert (result.inserted, result.already_present) == (1, 2)
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(BankLine)) == 6


def test_recorded_books_cannot_be_edited_in_place(tmp_path, sqlite_url):
    from khazna.ledger.models import ImmutableRecordError

    ledger = Ledger(sqlite_url)
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    with pytest.raises(ImmutableRecordError, match="credit note"):
        with ledger.session() as s:
            s.get(Invoice, "F2026-0001").total_ttc = Decimal("1.00")
    with ledger.read() as s:
        assert s.get(Invoice, "F2026-0001").total_ttc == Decimal("119000.00")


def test_enumerations_are_read_as_people_write_them(tmp_path, sqlite_url):
    """Case, accents and the usual spellings of spec/bundle.md are accepted and stored canonically."""
    expenses = (
        FILES["expenses.csv"]
        + "E002,2026-02-26,,Sonelgaz,energie,45000.00,Prélèvement,,,,,yes,Électricité\n"
        + "E003,2026-02-27,,Algérie Télécom,telecom,9000.00,PRLV,,,,,yes,Internet\n"
        + "E004,2026-02-27,,Naftal,Carburant,3000.00,Espèces,,,,,yes,Gasoil\n"
    )
    clients = (
        FILES["clients.csv"]
        .replace(",pme,", ",PME,")
        .replace(",administration,", ",Administration,")
    )
    payments = FILES["payments.csv"].replace(",cheque,", ",Chèque,").replace(",cleared", ",Cleared")
    interactions = FILES["interactions.csv"].replace(",phone,in,", ",Téléphone,IN,")
    ledger = Ledger(sqlite_url)
    import_bundle(
        ledger,
        write_bundle(
            tmp_path / "b",
            expenses_csv=expenses,
            clients_csv=clients,
            payments_csv=payments,
            interactions_csv=interactions,
        ),
    )
    with ledger.read() as s:
        methods = dict(s.execute(select(Expense.expense_id, Expense.method)).all())
        assert methods == {
            "E001": "virement",
            "E002": "prelevement",
            "E003": "prelevement",
            "E004": "especes",
        }
        assert s.scalar(select(Expense.category).where(Expense.expense_id == "E004")) == "carburant"
        assert {c.kind for c in s.scalars(select(Client))} == {
            "grand_compte",
            "pme",
            "administration",
        }
        assert s.scalar(select(Payment.method).where(Payment.payment_id == "P002")) == "cheque"
        i01 = s.get(Interaction, "I01")
        assert i01 is not None and (i01.channel, i01.direction) == ("phone", "in")


def test_an_unknown_enumerated_value_is_a_located_error(tmp_path, sqlite_url):
    expenses = FILES["expenses.csv"].replace(",virement,", ",bitcoin,")
    with pytest.raises(BundleError) as err:
        import_bundle(Ledger(sqlite_url), write_bundle(tmp_path / "b", expenses_csv=expenses))
    assert (
        "expenses.csv:2: method: doit valoir l'un de virement, cheque, especes, carte, effet, "
        "prelevement : 'bitcoin'" in err.value.problems
    )


# Each enumerated column of spec/bundle.md: a value as people write it → the canonical one,
# and a value outside the list → the file:line: column: error.
ENUM_CASES = [
    ("clients.csv", "kind", "Grand Compte", "grand_compte"),
    ("clients.csv", "kind", "PARTICULIER", "particulier"),
    ("clients.csv", "language", "Français", "fr"),
    ("clients.csv", "language", "AR", "ar"),
    ("invoices.csv", "payment_method", "Chèque", "cheque"),
    ("invoices.csv", "status", "Annulée", "cancelled"),
    ("payments.csv", "method", "VIR", "virement"),
    ("payments.csv", "status", "Rejeté", "rejected"),
    ("expenses.csv", "method", "prélèvement", "prelevement"),
    ("expenses.csv", "method", "Prélèvement", "prelevement"),
    ("expenses.csv", "method", "PRLV", "prelevement"),
    ("expenses.csv", "method", "prelevement", "prelevement"),
    ("expenses.csv", "method", "CB", "carte"),
    ("expenses.csv", "method", "traite", "effet"),
    ("expenses.csv", "method", "ESPÈCES", "especes"),
    ("expenses.csv", "category", "Énergie", "energie"),
    ("expenses.csv", "category", "Frais bancaires", "frais_bancaires"),
    ("expenses.csv", "category", "Salaire", "salaires"),
    ("suppliers.csv", "category", "Télécom", "telecom"),
    ("commitments.csv", "category", "Loyers", "loyer"),
    ("interactions.csv", "channel", "Téléphone", "phone"),
    ("interactions.csv", "channel", "E-mail", "email"),
    ("interactions.csv", "direction", "Sortant", "out"),
    ("interactions.csv", "kind", "Promesse", "promise"),
    ("interactions.csv", "kind", "Litige", "dispute"),
    # abbreviations as typed, with their dots, slashes or a trailing space
    ("expenses.csv", "method", "Prélèvement.", "prelevement"),
    ("expenses.csv", "method", "Prlv.", "prelevement"),
    ("payments.csv", "method", "Chq.", "cheque"),
    ("payments.csv", "method", "Vir. ", "virement"),
    ("expenses.csv", "method", "C.B.", "carte"),
    ("expenses.csv", "category", "Impôts/taxes", "impots_taxes"),
    ("clients.csv", "kind", "P.M.E.", "pme"),
]


def _spec_column(file: str, column: str):
    spec = next(f for f in CSV_FILES if f.name == file)
    return spec.columns[column].parse


@pytest.mark.parametrize(("file", "column", "written", "canonical"), ENUM_CASES)
def test_each_enumerated_column_reads_case_accents_and_synonyms(file, column, written, canonical):
    assert _spec_column(file, column)(written) == canonical


@pytest.mark.parametrize(("file", "column"), sorted({(f, c) for f, c, _, _ in ENUM_CASES}))
def test_each_enumerated_column_refuses_what_is_not_in_its_list(file, column):
    with pytest.raises(Invalid, match=r"doit valoir l'un de .* : 'zorglub'"):
        _spec_column(file, column)("zorglub")


def test_an_unknown_category_is_located_in_the_file(tmp_path, sqlite_url):
    expenses = FILES["expenses.csv"].replace(",salaires,", ",bonbons,")
    assert expenses != FILES["expenses.csv"]
    with pytest.raises(BundleError) as err:
        import_bundle(Ledger(sqlite_url), write_bundle(tmp_path / "b", expenses_csv=expenses))
    assert any(
        p.startswith("expenses.csv:2: category: doit valoir l'un de") for p in err.value.problems
    )


def test_clients_channel_and_civility_columns_import_and_export(tmp_path):
    """Optional columns of clients.csv (an extension of the shared spec): channel (email by
    default, usual spellings) and civility including 's' (raison sociale); written back."""
    import csv

    from khazna.ledger.bundle import BundleError, export_bundle, import_bundle
    from khazna.ledger.db import Ledger
    from khazna.ledger.models import Client
    from tests.bundles import FILES, write_bundle

    rows = FILES["clients.csv"].strip().split("\n")
    rows[0] += ",channel,civility"
    rows[1] += ",WhatsApp,Raison sociale"
    rows[2] += ",,Mme"
    rows[3] += ",SMS,"
    ledger = Ledger(f"sqlite:///{tmp_path}/k.db")
    import_bundle(ledger, write_bundle(tmp_path / "b", clients_csv="\n".join(rows) + "\n"))
    with ledger.read() as s:
        got = {c.client_id: (c.channel, c.civility) for c in s.query(Client)}
    assert got == {"C01": ("whatsapp", "s"), "C02": ("email", "f"), "C03": ("sms", "")}
    export_bundle(ledger, tmp_path / "out")
    with (tmp_path / "out" / "clients.csv").open(encoding="utf-8") as f:
        back = {r["client_id"]: (r["channel"], r["civility"]) for r in csv.DictReader(f)}
    assert back == got
    rows[1] = rows[1].replace("WhatsApp", "pigeon")
    bad = write_bundle(tmp_path / "c", clients_csv="\n".join(rows) + "\n")
    with pytest.raises(BundleError) as refused:
        import_bundle(Ledger(f"sqlite:///{tmp_path}/k2.db"), bad)
    assert [p for p in refused.value.problems if "clients.csv:2: channel:" in p], (
        refused.value.problems
    )


# Every enumerated column of spec/bundle.md with its values, written from the spec's text
# (not from bundle_spec): each value in any case, with accents, padded, is read as itself.
_CATEGORIES = (
    "encaissement_client salaires cotisations_sociales impots_taxes loyer energie telecom "
    "carburant fournitures achats_marchandises sous_traitance honoraires transport "
    "deplacements restaurant assurance maintenance publicite frais_bancaires equipement "
    "remboursement_emprunt virement_interne autre"
).split()
_METHODS = ["virement", "cheque", "especes", "carte", "effet"]
SPEC_ENUMS: dict[tuple[str, str], list[str]] = {
    ("clients.csv", "kind"): ["grand_compte", "pme", "administration", "particulier"],
    ("clients.csv", "language"): ["fr", "ar"],
    ("suppliers.csv", "category"): _CATEGORIES,
    ("invoices.csv", "payment_method"): _METHODS,
    ("invoices.csv", "status"): ["issued", "cancelled"],
    ("payments.csv", "method"): [*_METHODS, "prelevement"],
    ("payments.csv", "status"): ["cleared", "rejected"],
    ("expenses.csv", "category"): _CATEGORIES,
    ("expenses.csv", "method"): [*_METHODS, "prelevement"],
    ("commitments.csv", "category"): _CATEGORIES,
    ("interactions.csv", "channel"): ["email", "phone", "whatsapp", "visit", "letter"],
    ("interactions.csv", "direction"): ["in", "out"],
    ("interactions.csv", "kind"): ["note", "promise", "dispute", "reminder"],
}
# Enumerated columns this project adds to the shared spec (README), tested elsewhere.
EXTENSION_ENUMS = {
    ("clients.csv", "channel"),
    ("clients.csv", "civility"),
    ("interactions.csv", "unconfirmed"),
}


def _written(value: str) -> list[str]:
    """How people type a canonical value: capitals, a capital first and spaces for '_',
    accents on its vowels, padding."""
    spaced = value.replace("_", " ")
    return [value.upper(), spaced.title(), value.replace("e", "é").replace("a", "à"),
            f"  {spaced.upper()} "]  # fmt: skip


def test_every_enumerated_column_of_the_bundle_is_in_the_spec_table():
    enumerated = {
        (f.name, name)
        for f in CSV_FILES
        for name, col in f.columns.items()
        if getattr(col.parse, "__qualname__", "").startswith("one_of.")
    }
    assert enumerated - EXTENSION_ENUMS == set(SPEC_ENUMS)


@pytest.mark.parametrize(("file", "column"), sorted(SPEC_ENUMS))
def test_every_value_of_every_enumerated_column_in_every_usual_writing(file, column):
    parse = _spec_column(file, column)
    for value in SPEC_ENUMS[(file, column)]:
        for written in _written(value):
            assert parse(written) == value, (written, value)


def _with_cell(file: str, column: str, value: str) -> str:
    base = FILES.get(file, "supplier_id,name,category,email,nif\nS01,Sonelgaz,energie,,\n")
    rows = list(csv.DictReader(io.StringIO(base)))
    header = list(rows[0]) + ([column] if column not in rows[0] else [])
    rows[0][column] = value
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(("file", "column"), sorted(SPEC_ENUMS))
def test_a_value_outside_an_enumeration_refuses_the_bundle_at_its_line(
    tmp_path, sqlite_url, file, column
):
    bundle = write_bundle(
        tmp_path / "b", **{file.replace(".csv", "_csv"): _with_cell(file, column, "Zorglub")}
    )
    ledger = Ledger(sqlite_url)
    with pytest.raises(BundleError) as err:
        import_bundle(ledger, bundle)
    assert any(
        p.startswith(f"{file}:2: {column}: doit valoir l'un de ") and p.endswith(": 'Zorglub'")
        for p in err.value.problems
    ), err.value.problems
    with ledger.read() as s:  # nothing written
        assert s.scalar(select(func.count()).select_from(Client)) == 0
