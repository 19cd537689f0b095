"""`khazna import-bank`: statements as Algerian banks export them, all lines or none."""

from __future__ import annotations

import inspect
import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from khazna.cli import main
from khazna.ledger.bank_import import (
    BankImportError,
    amount_parser,
    fingerprint,
    import_bank_statement,
)
from khazna.ledger.bank_mappings import BUILTIN_MAPPINGS, MappingError, all_mappings, load_mappings
from khazna.ledger.bank_read import open_statement, statement_rows
from khazna.ledger.db import Ledger
from khazna.ledger.models import BankLine, Company, ImportRun
from khazna.money import parse_amount

MAPS = list(BUILTIN_MAPPINGS)
HEAD = "Date opération;Date valeur;Libellé;Référence;Débit;Crédit;Solde\n"
TITLE = "Crédit Populaire d'Algérie\nCompte : 004 00123 0000012345 67\nPériode du 01/01/2026 au 31/01/2026\n\n"


@pytest.fixture
def ledger(db_url):
    led = Ledger(db_url)
    with led.session() as s:
        s.add(
            Company(name="SARL Test", opening_balance=Decimal("0"), opening_date=date(2026, 1, 1))
        )
    yield led
    led.dispose()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def lines(led: Ledger) -> list[BankLine]:
    with led.read() as s:
        return list(s.scalars(select(BankLine).order_by(BankLine.date, BankLine.line_id)))


def problems_of(led, path, **kw) -> str:
    with pytest.raises(BankImportError) as err:
        import_bank_statement(led.engine, path, kw.pop("mappings", MAPS), **kw)
    assert lines(led) == []
    return str(err.value)


# ------------------------------------------------------------------------ good files


def test_semicolon_debit_credit_with_title_lines(ledger, tmp_path):
    f = write(tmp_path, "releve.csv", TITLE + HEAD
              + "05/01/2026;05/01/2026;VIR RECU SONATRACH FACT F2025-118;R1;;1 234 567,89;\n"
              + "06/01/2026;07/01/2026;PRLV SONELGAZ;R2;12\u00a0345,00;;\n"
              + "07-01-2026;07.01.2026;CHQ 0045123;R3;1\u202f000,5;0,00;\n"
              + ";;Total des mouvements;;13 345,50;1 234 567,89;\n")  # fmt: skip
    r = import_bank_statement(ledger.engine, f, MAPS, account="CPA-1", now=datetime(2026, 2, 1, 9))
    assert (r.mapping, r.format, r.delimiter, r.account) == ("cpa", "csv", ";", "CPA-1")
    assert (r.rows, r.inserted, r.already_present, r.skipped) == (3, 3, 0, 1)
    assert (r.date_from, r.date_to) == (date(2026, 1, 5), date(2026, 1, 7))
    assert r.total_credit == Decimal("1234567.89") and r.total_debit == Decimal("13345.50")
    got = [(b.date, b.amount, b.label, b.reference, b.account, b.source) for b in lines(ledger)]
    assert got == [
        (
            date(2026, 1, 5),
            Decimal("1234567.89"),
            "VIR RECU SONATRACH FACT F2025-118",
            "R1",
            "CPA-1",
            "releve.csv",
        ),
        (date(2026, 1, 6), Decimal("-12345.00"), "PRLV SONELGAZ", "R2", "CPA-1", "releve.csv"),
        (date(2026, 1, 7), Decimal("-1000.50"), "CHQ 0045123", "R3", "CPA-1", "releve.csv"),
    ]
    first = lines(ledger)[0]
    fp = fingerprint(
        "CPA-1", date(2026, 1, 5), 123456789, "VIR RECU  SONATRACH fact F2025-118", " r1"
    )
    assert first.fingerprint == fp and first.occurrence == 1 and first.line_id == f"BK-{fp[:16]}-1"
    with ledger.read() as s:
        run = s.scalars(select(ImportRun)).one()
    assert run.kind == "bank" and run.counts["inserted"] == 3 and run.at == datetime(2026, 2, 1, 9)


def test_comma_separator_signed_amount_and_iso_dates(ledger, tmp_path):
    f = write(tmp_path, "bna.csv", "Banque Nationale d'Algérie\n"
              "DATE,LIBELLE OPERATION,N° PIECE,MONTANT (DZD),SOLDE\n"
              '2026-03-01,VIR RECU CLIENT C007,P1,"150 000,00",\n'
              '02.03.2026,FRAIS TENUE DE COMPTE,P2,"-1 200,50",\n'
              '03/03/2026 00:00:00,RETRAIT DAB,P3,-2000,\n')  # fmt: skip
    r = import_bank_statement(ledger.engine, f, MAPS)
    assert (r.mapping, r.delimiter, r.rows, r.inserted) == ("bna", ",", 3, 3)
    assert [b.amount for b in lines(ledger)] == [
        Decimal("150000.00"),
        Decimal("-1200.50"),
        Decimal("-2000.00"),
    ]
    assert r.total_debit == Decimal("3200.50") and r.total_credit == Decimal("150000")


def test_headers_found_without_case_accents_or_currency(ledger, tmp_path):
    f = write(tmp_path, "x.csv", "DATE OPERATION;LIBELLE;DEBIT (DZD);CREDIT en DA\n"
              "10/02/2026;VIREMENT;;500,00\n")  # fmt: skip
    r = import_bank_statement(ledger.engine, f, MAPS)
    assert (
        r.mapping == "generic_fr" and r.rows == 1 and lines(ledger)[0].amount == Decimal("500.00")
    )


def test_xlsx_with_title_rows_dates_and_numbers(ledger, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Banque Extérieure d'Algérie"])
    ws.append(["Relevé de compte"])
    ws.append([])
    ws.append(
        ["Date comptable", "Date de valeur", "Désignation", "Référence", "Débit", "Crédit", "Solde"]
    )
    ws.append([datetime(2026, 4, 1), datetime(2026, 4, 2), "VIR RECU X", "A1", None, 1234.5, None])
    ws.append(["02/04/2026", None, "PRLV Y", 77, "2 000,75", None, None])
    ws.append([datetime(2026, 4, 3), None, "CB Z", "A3", 0.1 + 0.2, None, None])  # float noise
    f = tmp_path / "bea.xlsx"
    wb.save(f)
    r = import_bank_statement(ledger.engine, f, MAPS)
    assert (r.mapping, r.format, r.rows, r.inserted) == ("bea", "xlsx", 3, 3)
    got = [(b.date, b.amount, b.reference) for b in lines(ledger)]
    assert got == [(date(2026, 4, 1), Decimal("1234.50"), "A1"), (date(2026, 4, 2), Decimal("-2000.75"), "77"),
                   (date(2026, 4, 3), Decimal("-0.30"), "A3")]  # fmt: skip


def test_xlsx_bad_cell_names_the_sheet_row(ledger, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Date", "Libellé", "Débit", "Crédit"])
    ws.append([datetime(2026, 4, 1), "OK", 10, None])
    ws.append(["pas une date", "KO", 10, None])
    f = tmp_path / "b.xlsx"
    wb.save(f)
    assert "b.xlsx:3: Date: 'pas une date' n'est pas une date (attendu dd/mm/yyyy)" in problems_of(
        ledger, f
    )


def test_custom_mapping_from_json_file_via_cli(ledger, db_url, tmp_path, capsys):
    maps = write(tmp_path, "maps.json", json.dumps({"mappings": [{
        "name": "ma_banque", "columns": {"date": "Jour", "label": ["Motif", "Objet"], "amount": "Valeur",
                                         "reference": "Pièce"},
        "date_format": "mm/dd/yyyy", "decimal_separator": ".", "encoding": "cp1252",
        "skip_rows": 2, "account": "AGB-77", "delimiter": "|"}]}))  # fmt: skip
    f = write(tmp_path, "agb.txt", "AGB\nexport\nJour|Objet|Pièce|Valeur\n"
              "12/31/2025|Réglement facture|P-1|1,234.50\n01/02/2026|Frais|P-2|-15\n", "cp1252")  # fmt: skip
    assert main(["import-bank", str(f), "--db", db_url, "--mappings", str(maps), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("mapping", "account", "rows", "inserted", "encoding")} == {
        "mapping": "ma_banque", "account": "AGB-77", "rows": 2, "inserted": 2, "encoding": "cp1252"}  # fmt: skip
    assert out["total_credit"] == 1234.5 and out["date_from"] == "2025-12-31"
    assert [b.label for b in lines(ledger)] == ["Réglement facture", "Frais"]


def test_user_mappings_file_in_khazna_home_is_used(ledger, db_url, tmp_path, capsys):
    from khazna.config import Paths

    home = Paths.from_env().bank_mappings
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text(json.dumps({"maison": {"columns": {"date": "Quand", "label": "Quoi",
                                                       "debit": "Sortie", "credit": "Entrée"}}}))  # fmt: skip
    f = write(tmp_path, "m.csv", "Quand;Quoi;Sortie;Entrée\n01/05/2026;Loyer;80 000,00;\n")
    assert main(["import-bank", str(f), "--db", db_url, "--account", "main"]) == 0
    out = capsys.readouterr().out
    assert "correspondance 'maison'" in out and "80\u202f000,00 DA" in out
    assert main(["import-bank", str(f), "--db", db_url, "--mapping", "cpa"]) == 2
    err = capsys.readouterr().err
    assert (
        "la correspondance 'cpa' attend" in err
        and "En-têtes trouvés ligne 1 : 'Quand', 'Quoi', 'Sortie', 'Entrée'" in err
    )


def test_bad_mappings_file_is_a_clear_error(tmp_path):
    bad = write(tmp_path, "m.json", '{"mappings": [{"name": "x", "columns": {"date": "D", "label": "L", '
                '"debit": "Db"}}]}')  # fmt: skip
    with pytest.raises(
        MappingError,
        match=r"m.json: correspondance 'x' : columns: .*'debit' et 'credit' vont ensemble",
    ):
        load_mappings(bad)
    broken = write(tmp_path, "b.json", '{"mappings": [\n  {"name": }\n]}')
    with pytest.raises(MappingError, match=r"b.json:2:\d+ : JSON invalide"):
        all_mappings([broken])


# ------------------------------------------------------------------------ dedup


def test_overlapping_statement_adds_only_new_lines(ledger, tmp_path):
    a = write(
        tmp_path,
        "jan.csv",
        HEAD + "05/01/2026;;A;1;10,00;;\n06/01/2026;;B;2;;20,00;\n07/01/2026;;C;3;30,00;;\n",
    )
    b = write(tmp_path, "feb.csv", HEAD + "06/01/2026;;B;2;;20,00;\n07/01/2026;;C;3;30,00;;\n"
              "01/02/2026;;D;4;40,00;;\n")  # fmt: skip
    assert import_bank_statement(ledger.engine, a, MAPS).inserted == 3
    r = import_bank_statement(ledger.engine, b, MAPS)
    assert (r.rows, r.inserted, r.already_present) == (3, 1, 2)
    assert [b.label for b in lines(ledger)] == ["A", "B", "C", "D"]
    assert [b.source for b in lines(ledger)] == ["jan.csv", "jan.csv", "jan.csv", "feb.csv"]


def test_two_identical_payments_on_one_day_both_stay(ledger, tmp_path):
    twin = "08/01/2026;08/01/2026;PRLV CNAS;R9;45 000,00;;\n"
    f = write(tmp_path, "t.csv", HEAD + twin + "08/01/2026;;OTHER;;1,00;;\n" + twin)
    r = import_bank_statement(ledger.engine, f, MAPS)
    assert (r.rows, r.inserted) == (3, 3)
    cnas = [b for b in lines(ledger) if b.label == "PRLV CNAS"]
    assert (
        sorted(b.occurrence for b in cnas) == [1, 2] and cnas[0].fingerprint == cnas[1].fingerprint
    )
    assert {b.line_id for b in cnas} == {f"BK-{cnas[0].fingerprint[:16]}-{n}" for n in (1, 2)}
    again = import_bank_statement(ledger.engine, f, MAPS)
    assert (again.inserted, again.already_present) == (0, 3)
    assert len([b for b in lines(ledger) if b.label == "PRLV CNAS"]) == 2
    # a later statement holding one more of the same line adds exactly that one
    three = write(tmp_path, "t3.csv", HEAD + twin * 3)
    assert import_bank_statement(ledger.engine, three, MAPS).inserted == 1


# ------------------------------------------------------------------------ bad input


def test_missing_column_names_mapping_and_headers(ledger, tmp_path):
    f = write(tmp_path, "m.csv", TITLE + "Date;Libellé;Montant TTC;Solde\n01/01/2026;X;5;\n")
    msg = problems_of(ledger, f)
    assert "m.csv: aucune correspondance de colonnes ne reconnaît les en-têtes de ce relevé" in msg
    assert "En-têtes trouvés ligne 5 : 'Date', 'Libellé', 'Montant TTC', 'Solde'" in msg
    msg = problems_of(ledger, f, mapping_name="bna")
    assert (
        "la correspondance 'bna' attend date=" in msg
        and "manquant dans les 30 premières lignes : amount (l'un de ['Montant'" in msg
    )
    assert "aucune correspondance de colonnes nommée 'nope'" in problems_of(
        ledger, f, mapping_name="nope"
    )


def test_wrong_date_and_bad_amounts_are_all_listed_with_line_and_column(ledger, tmp_path):
    f = write(
        tmp_path,
        "s.csv",
        TITLE
        + HEAD
        + "31/02/2026;;A;;10,00;;\n"  # line 6
        + "01/03/2026;99/99/2026;B;;1 000,00;5,00;\n"  # line 7: value date, both amounts
        + "02/03/2026;;C;;douze;;\n"  # line 8
        + "03/03/2026;;D;;;;\n"  # line 9
        + "04/03/2026;;E;;-;12,345;\n"  # line 10
        + ";;F;;5,00;;\n",
    )  # line 11: no date but an amount
    msg = problems_of(ledger, f)
    for want in ("s.csv:6: Date opération: '31/02/2026' n'est pas une date (attendu dd/mm/yyyy)",
                 "s.csv:7: Date valeur: '99/99/2026' n'est pas une date (attendu dd/mm/yyyy)",
                 "s.csv:7: Débit/Crédit: le débit et le crédit sont remplis tous les deux",
                 "s.csv:8: Débit: 'douze' n'est pas un montant",
                 "s.csv:9: Débit/Crédit: ni le débit ni le crédit n'est rempli",
                 "s.csv:10: Débit: '-' n'est pas un montant",
                 "s.csv:10: Crédit: '12,345' n'est pas un montant",
                 "s.csv:11: Date opération: la date est vide"):  # fmt: skip
        assert want in msg
    assert msg.startswith("8 problèmes :")


def test_problem_list_is_capped(ledger, tmp_path):
    f = write(tmp_path, "s.csv", HEAD + "xx/01/2026;;A;;1,00;;\n" * 120)
    msg = problems_of(ledger, f)
    assert msg.startswith("120 problèmes :") and msg.endswith("… et 70 de plus")
    assert msg.count("n'est pas une date") == 50 and "s.csv:51:" in msg and "s.csv:52:" not in msg


def test_non_utf8_file_names_line_and_byte_offset(ledger, tmp_path):
    head = "Date;Libelle;Debit;Credit\n"
    body = head + "05/01/2026;VIR A;;1,00\n06/01/2026;Réglement café;2,00;\n"
    f = write(tmp_path, "w.csv", body, "cp1252")
    offset = body.encode("cp1252").index(b"\xe9")
    assert offset == len(head) + len("05/01/2026;VIR A;;1,00\n") + len("06/01/2026;R")
    msg = problems_of(ledger, f)
    assert (
        f"w.csv:3: l'octet à la position {offset} (0xE9, colonne 13 de la ligne) n'est pas du "
        "utf-8 valide" in msg
    )
    assert "--encoding cp1252" in msg
    r = import_bank_statement(ledger.engine, f, MAPS, encoding="cp1252")
    assert r.rows == 2 and lines(ledger)[1].label == "Réglement café"


def test_non_utf8_header_is_detected_and_refused_without_encoding(ledger, tmp_path):
    f = write(tmp_path, "h.csv", HEAD + "05/01/2026;;A;;;1,00;\n", "latin-1")
    assert "h.csv:1: l'octet à la position 7 (0xE9, colonne 8 de la ligne)" in problems_of(
        ledger, f
    )


def test_empty_and_blank_files(ledger, tmp_path):
    assert problems_of(ledger, write(tmp_path, "e.csv", "")) == "e.csv: le fichier est vide"
    assert "b.csv: le fichier est vide (que des lignes blanches)" in problems_of(
        ledger, write(tmp_path, "b.csv", "\n \n\n")
    )
    r = import_bank_statement(ledger.engine, write(tmp_path, "h.csv", TITLE + HEAD), MAPS)
    assert (r.rows, r.inserted, r.date_from) == (0, 0, None)  # a period without operations


def test_row_with_5000_columns_and_huge_field(ledger, tmp_path):
    f = write(tmp_path, "w.csv", HEAD + "05/01/2026;;A;;1,00;;\n" + "x;" * 4999 + "x\n")
    assert "w.csv:3: 5000 colonnes, un relevé en a au plus 200" in problems_of(ledger, f)
    g = write(
        tmp_path,
        "g.csv",
        HEAD + "05/01/2026;;A;;1,00;;\n" + '05/01/2026;;"' + "y" * 200_000 + '";;1,00;;\n',
    )
    assert "g.csv:3: la ligne ne se lit pas en CSV : field larger than field limit" in problems_of(
        ledger, g
    )
    h = write(tmp_path, "h.csv", HEAD + "z" * (2 << 20))
    assert "h.csv:2: une ligne de plus de 1 Mio" in problems_of(ledger, h)


def test_not_a_statement_files(ledger, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "old.xls: un ancien fichier Excel .xls" in problems_of(ledger, tmp_path / "old.xls")
    (tmp_path / "z.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert "z.xlsx: pas un classeur .xlsx lisible" in problems_of(ledger, tmp_path / "z.xlsx")


def test_bad_row_at_the_end_means_nothing_is_inserted(ledger, tmp_path):
    good = "".join(f"{d:02d}/01/2026;;L{d};;{d},00;;\n" for d in range(1, 29))
    f = write(tmp_path, "s.csv", HEAD + good * 500 + "29/01/2026;;LAST;;1,00;2,00;\n")
    msg = problems_of(ledger, f)
    assert (
        msg
        == f"s.csv:{2 + 28 * 500}: Débit/Crédit: le débit et le crédit sont remplis tous les deux"
    )
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(BankLine)) == 0
        assert s.scalar(select(func.count()).select_from(ImportRun)) == 0
    ok = write(tmp_path, "ok.csv", HEAD + good)  # the staging table did not survive the rollback
    assert import_bank_statement(ledger.engine, ok, MAPS).inserted == 28


def test_cli_errors_without_traceback(ledger, db_url, tmp_path, capsys):
    f = write(tmp_path, "s.csv", HEAD + "05/01/2026;;A;;abc;;\n")
    assert main(["import-bank", str(f), "--db", db_url, "--json"]) == 2
    cap = capsys.readouterr()
    assert (
        cap.out == ""
        and "s.csv:2: Débit: 'abc' n'est pas un montant" in cap.err
        and "Traceback" not in cap.err
    )
    assert main(["import-bank", str(tmp_path / "none.csv"), "--db", db_url]) == 1
    assert "none.csv : fichier introuvable" in capsys.readouterr().err
    assert main(["import-bank", str(f), "--db", db_url, "--encoding", "klingon"]) == 1
    assert "encodage inconnu 'klingon'" in capsys.readouterr().err


def test_cli_needs_a_company(tmp_path, capsys):
    f = write(tmp_path, "s.csv", HEAD + "05/01/2026;;A;;1,00;;\n")
    assert main(["import-bank", str(f), "--db", f"sqlite:///{tmp_path / 'empty.db'}"]) == 1
    assert "est vide : chargez d'abord des livres" in capsys.readouterr().err


# ------------------------------------------------------------------------ building blocks


@pytest.mark.parametrize("sep", [",", "."])
def test_fast_amount_path_agrees_with_parse_amount(sep):
    parse = amount_parser(sep)
    samples = ["0", "7", "-7", "12", "1234", "1 234", "1\u00a0234", "1\u202f234", "12 345 678", "-1 234",
               "1.234", "1,234", "1 234,5", "1 234,56", "1.234,56", "1,234.56", "0,01", "-0,01", "1234.5",
               "999999999999", "+12", "(1 234,00)", "1 234,00 DA", "12-"]  # fmt: skip
    for text in samples:
        try:
            want = parse_amount(text, sep)
        except ValueError:
            continue
        if want == want.quantize(Decimal("0.01")):
            assert parse(text) == int(want * 100), text


STREAM_CHECK = """
import resource, sys
from pathlib import Path
from khazna.ledger.bank_import import Problems, Totals, check_rows
from khazna.ledger.bank_mappings import BUILTIN_MAPPINGS
from khazna.ledger.bank_read import open_statement, statement_rows
f = Path(sys.argv[1])
layout = open_statement(f, list(BUILTIN_MAPPINGS))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
totals, problems = Totals(), Problems(f.name)
n = sum(1 for _ in check_rows(layout, statement_rows(layout), "main", problems, totals))
print(n, problems.count, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_reader_streams_a_200k_line_statement(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "big.csv"
    row = "12/03/2026;12/03/2026;VIR RECU CLIENT C{0:06d};R{0:08d};;1 234,{1:02d};\n"
    with f.open("w", encoding="utf-8") as out:
        out.write(TITLE + HEAD)
        out.writelines(row.format(i, i % 100) for i in range(200_000))
    assert inspect.isgenerator(statement_rows(open_statement(f, MAPS)))
    proc = subprocess.run(
        [sys.executable, "-c", STREAM_CHECK, str(f)], capture_output=True, text=True
    )
    n, bad, before_kib, after_kib = map(int, proc.stdout.split())
    assert (n, bad) == (200_000, 0), proc.stderr
    # 13 MB of text held as rows would be ~150 MB of Python objects; streaming adds almost nothing
    assert f.stat().st_size > 12_000_000 and after_kib - before_kib < 10_000


# -------------------------------------------------- the footer's totals


_OPS = ("05/01/2026;VIR RECU SONATRACH;;1 234 567,89\n"
        "06/01/2026;PRLV SONELGAZ;12 345,00;\n"
        "07/01/2026;CHQ 0045123;1 000,50;\n")  # fmt: skip


@pytest.mark.parametrize(
    "footer",
    [
        "Total des mouvements;;13 345,50;1 234 567,89\n",
        "TOTAUX;;13 345,50;1 234 567,89 DA\n",
        ";Total débit;13 345,50;\n;Total crédit;;1 234 567,89\n",
        ";Total des débits : 13 345,50\n;Total des crédits : 1 234 567,89\n",
    ],
)
def test_a_footer_total_that_agrees_is_accepted(ledger, tmp_path, footer):
    f = write(tmp_path, "t.csv", TITLE + "Date;Libellé;Débit;Crédit\n" + _OPS + footer)
    r = import_bank_statement(ledger.engine, f, MAPS, account="CPA-1")
    assert (r.rows, r.inserted) == (3, 3)


@pytest.mark.parametrize(
    ("ops", "footer", "where", "said"),
    [
        # a line missing from the export: the footer counts it
        (_OPS.splitlines(keepends=True)[0] + _OPS.splitlines(keepends=True)[2],
         "Total des mouvements;;13 345,50;1 234 567,89\n", "t.csv:8:", "débits"),
        # the debit and credit columns read the wrong way (or swapped by the bank's export)
        (_OPS, "Total des mouvements;;1 234 567,89;13 345,50\n", "t.csv:9:", "débits"),
        (_OPS, ";Total débit;13 345,50;\n;Total crédit;;1 234 000,00\n", "t.csv:10:", "crédits"),
    ],
)  # fmt: skip
def test_a_footer_total_the_lines_do_not_make_is_refused(
    ledger, tmp_path, ops, footer, where, said
):
    f = write(tmp_path, "t.csv", TITLE + "Date;Libellé;Débit;Crédit\n" + ops + footer)
    msg = problems_of(ledger, f, account="CPA-1").replace("\u202f", " ")
    assert msg.startswith(f"{where} Total des {said} : le relevé annonce"), msg
    assert "ses lignes font" in msg


def test_a_page_subtotal_and_a_carry_forward_are_not_the_statement_total(ledger, tmp_path):
    f = write(tmp_path, "t.csv", TITLE + "Date;Libellé;Débit;Crédit\n" + _OPS
              + "Total page 1;;12 345,00;0,00\nA reporter;;12 345,00;\n")  # fmt: skip
    assert import_bank_statement(ledger.engine, f, MAPS, account="CPA-1").inserted == 3


def _pdf_statement(path: Path, ops: list[tuple[str, str, str, str]], debit: str, credit: str):
    """A PDF statement with no balance column: Date / Libellé / Débit / Crédit, amounts
    right-aligned, and a 'TOTAL DES MOUVEMENTS' footer under the Débit and Crédit columns."""
    from reportlab.pdfgen.canvas import Canvas

    cv = Canvas(str(path))
    cv.setFont("Helvetica", 9)
    cv.drawString(40, 800, "BANQUE DE L'AGRICULTURE ET DU DEVELOPPEMENT RURAL")
    cv.drawString(40, 786, "Compte : 004 00123 0000012345 67")
    y = 760
    for name, x in (("Date", 40), ("Libellé", 110)):
        cv.drawString(x, y, name)
    for name, x in (("Débit", 420), ("Crédit", 520)):
        cv.drawRightString(x, y, name)
    for d, label, deb, cred in ops:
        y -= 14
        cv.drawString(40, y, d)
        cv.drawString(110, y, label)
        if deb:
            cv.drawRightString(420, y, deb)
        if cred:
            cv.drawRightString(520, y, cred)
    y -= 14
    cv.drawString(110, y, "TOTAL DES MOUVEMENTS")
    cv.drawRightString(420, y, debit)
    cv.drawRightString(520, y, credit)
    cv.save()
    return path


_PDF_OPS = [
    ("05/01/2026", "VIR RECU SONATRACH", "", "1 234 567,89"),
    ("06/01/2026", "PRLV SONELGAZ", "12 345,00", ""),
    ("07/01/2026", "CHQ 0045123", "1 000,50", ""),
]


def test_a_pdf_statement_footer_total_is_checked_too(ledger, tmp_path):
    good = _pdf_statement(tmp_path / "ok.pdf", _PDF_OPS, "13 345,50", "1 234 567,89")
    assert (
        import_bank_statement(ledger.engine, good, MAPS, account="BADR-1", dry_run=True).rows == 3
    )
    short = _pdf_statement(tmp_path / "short.pdf", _PDF_OPS[:2], "13 345,50", "1 234 567,89")
    msg = problems_of(ledger, short, account="BADR-1").replace("\u202f", " ")
    assert re.match(r"short\.pdf:\d+: Total des débits : le relevé annonce 13 345,50 DA, ses "
                    r"lignes font 12 345,00 DA", msg), msg  # fmt: skip
