"""Bank statements never double the cash (issue 11, part 3): the account comes from the
statement, lines already in any account are found, balances are reconciled with the ledger."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from khazna.cli import main
from khazna.ledger.bank_checks import account_number_in, same_account
from khazna.ledger.bank_import import BankImportError, import_bank_statement
from khazna.ledger.bank_mappings import BUILTIN_MAPPINGS
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import BankLine
from khazna.ledger.queries import cash_position
from tests.bundles import COMPANY, write_bundle

MAPS = list(BUILTIN_MAPPINGS)
RIB = COMPANY["rib"]  # 00300060000201930048, the account the bundle's bank lines are under
OPENING = Decimal("4200000.00")

# The ten operations of October as the bank prints them: (date, value date, label,
# reference, debit, credit). The first seven are already in the ledger (the bundle).
OPS = [
    ("02/10/2026", "02/10/2026", "VIR RECU SONATRACH FACT F2026-0101", "VR101", "", "350 000,00"),
    ("05/10/2026", "06/10/2026", "PRLV SONELGAZ", "PR55", "45 230,50", ""),
    ("08/10/2026", "08/10/2026", "CHQ 0045123", "CHQ0045123", "120 000,00", ""),
    ("12/10/2026", "13/10/2026", "VIR RECU APC BAB EZZOUAR", "VR102", "", "800 000,00"),
    ("15/10/2026", "15/10/2026", "FRAIS TENUE DE COMPTE", "", "1 500,00", ""),
    ("20/10/2026", "20/10/2026", "PRLV ALGERIE TELECOM", "PR56", "9 000,00", ""),
    ("25/10/2026", "25/10/2026", "VIR SALAIRES 10/2026", "VS10", "1 200 000,00", ""),
    ("27/10/2026", "28/10/2026", "VIR RECU CEVITAL FACT F2026-0110", "VR103", "", "250 000,00"),
    ("28/10/2026", "28/10/2026", "RETRAIT DAB", "", "20 000,00", ""),
    ("29/10/2026", "30/10/2026", "REMISE CHQ 0098765", "CHQ0098765", "", "75 000,00"),
]
IN_LEDGER = 7


def cents(text: str) -> int:
    return int(text.replace(" ", "").replace(",", "")) if text else 0


def signed(op) -> int:
    return cents(op[5]) - cents(op[4])


def fr(c: int) -> str:
    """Centimes as a French bank prints them: 1 234 567,89."""
    whole, frac = divmod(abs(c), 100)
    return ("-" if c < 0 else "") + f"{whole:,}".replace(",", " ") + f",{frac:02d}"


def statement(ops=OPS, *, opening=OPENING, rib_line=f"RIB : {RIB[:3]} {RIB[3:8]} {RIB[8:18]} {RIB[18:]}",
              solde=True, swap_at: int | None = None) -> str:  # fmt: skip
    """A bank's CSV export: title rows, ';', decimal commas, Débit/Crédit, Solde, footer."""
    rows = ["BANQUE EXTERIEURE D'ALGERIE;;;;;;", "Relevé de compte;;;;;;"]
    if rib_line:
        rows.append(rib_line + ";;;;;;")
    rows += ["Titulaire : SARL ATLAS SERVICES;;;;;;", "Période du 01/10/2026 au 31/10/2026;;;;;;",
             f"Ancien solde;;;;;;{fr(int(opening * 100))}", ";;;;;;",
             "Date;Libellé;Référence;Date valeur;Débit;Crédit;Solde"]  # fmt: skip
    bal = int(opening * 100)
    for i, (d, vd, label, ref, deb, cred) in enumerate(ops):
        bal += cents(cred) - cents(deb)
        if i == swap_at:  # the debit written in the credit column: the Solde says otherwise
            deb, cred = cred, deb
        rows.append(f"{d};{label};{ref};{vd};{deb};{cred};{fr(bal) if solde else ''}")
    tot_d = sum(cents(o[4]) for o in ops)
    tot_c = sum(cents(o[5]) for o in ops)
    rows += [f";Total des mouvements;;;{fr(tot_d)};{fr(tot_c)};",
             f";Nouveau solde;;;;;{fr(bal)}",
             "Document édité le 02/11/2026 - page 1/1;;;;;;"]  # fmt: skip
    return "\n".join(rows) + "\n"


def bundle_lines(account: str = RIB, ops=OPS[:IN_LEDGER], label=lambda s: s) -> str:
    out = "line_id,account,date,label,amount,reference\n"
    for i, (d, _vd, lab, ref, deb, cred) in enumerate(ops):
        day = date(int(d[6:]), int(d[3:5]), int(d[:2])).isoformat()
        amount = Decimal(cents(cred) - cents(deb)).scaleb(-2)
        out += f"B{i:03d},{account},{day},{label(lab)},{amount},{ref}\n"
    return out


@pytest.fixture
def books(tmp_path, db_url):
    """The issue's ledger: October's first seven operations under the RIB's account."""

    def make(**bundle) -> Ledger:
        led = Ledger(db_url)
        bank = bundle.pop("bank_lines_csv", bundle_lines())
        import_bundle(led, write_bundle(tmp_path / "b", bank_lines_csv=bank, **bundle))
        return led

    return make


def write(tmp_path: Path, text: str, name: str = "releve_oct.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def bank(led: Ledger) -> list[BankLine]:
    with led.read() as s:
        return list(s.scalars(select(BankLine).order_by(BankLine.date, BankLine.line_id)))


def cash(led: Ledger) -> Decimal:
    with led.read() as s:
        return cash_position(s, date(2026, 10, 31))


def refused(led, path, **kw) -> str:
    before = [(b.line_id, b.account) for b in bank(led)]
    with pytest.raises(BankImportError) as err:
        import_bank_statement(led.engine, path, MAPS, **kw)
    assert [(b.line_id, b.account) for b in bank(led)] == before, "nothing written"
    return str(err.value)


# ------------------------------------------------------------------ the issue's case


def test_the_issues_statement_adds_only_the_three_new_lines(books, tmp_path):
    """A bank export of a period already in the ledger, no --account: the RIB of its title
    rows names the ledger's account; the seven known lines are skipped, the cash moves by the
    three new ones only, and the balances agree."""
    led = books()
    before = cash(led)
    r = import_bank_statement(led.engine, write(tmp_path, statement()), MAPS)
    assert (r.account, r.statement_account) == (RIB, RIB)
    assert (r.rows, r.inserted, r.already_present) == (10, 3, 7)
    assert r.balances_checked and r.also_elsewhere == {}
    new = sum(signed(o) for o in OPS[IN_LEDGER:])
    assert cash(led) - before == Decimal(new).scaleb(-2) == Decimal("305000.00")
    assert {b.account for b in bank(led)} == {RIB}


def test_importing_it_into_main_is_refused_with_the_accounts_named(books, tmp_path):
    led = books()
    msg = refused(led, write(tmp_path, statement()), account="main")
    assert f"le relevé est celui du compte {RIB}" in msg and f"--account {RIB}" in msg


def test_most_lines_under_another_account_is_refused_then_forced(books, tmp_path):
    """The lines are in the ledger under 'main' (a bundle without RIB); importing the
    statement as a new account would double them: refused, unless --force."""
    other_rib = json.dumps({**COMPANY, "rib": "00100200300400500617"})  # not the statement's
    led = books(bank_lines_csv=bundle_lines("main"), company_json=other_rib)
    path = write(tmp_path, statement())
    msg = refused(led, path)  # the RIB matches no account of the ledger: say which
    assert "ne correspond à aucun compte du grand livre ('main' (7 lignes" in msg
    msg = refused(led, path, account=RIB)
    assert "7 des 10 lignes de ce relevé sont déjà au grand livre sous un autre compte : " \
        "'main' (7 lignes)" in msg  # fmt: skip
    assert "--account main" in msg and "--force" in msg and "releve_oct.csv" in msg
    r = import_bank_statement(led.engine, path, MAPS, account="main")
    assert (r.inserted, r.already_present) == (3, 7)
    forced = import_bank_statement(led.engine, write(tmp_path, statement(), "b.csv"), MAPS,
                                   account="SECOND", force=True)  # fmt: skip
    assert forced.forced and forced.inserted == 10 and forced.also_elsewhere == {"main": 10}


def test_the_same_operation_written_differently_is_not_added_again(books, tmp_path):
    """The bundle's labels in lower case and with punctuation: not the same fingerprint,
    still the same operations (date, amount, label)."""
    led = books(bank_lines_csv=bundle_lines(label=lambda s: s.lower().replace(" ", "  ") + "."))
    r = import_bank_statement(led.engine, write(tmp_path, statement()), MAPS)
    assert (r.inserted, r.already_present) == (3, 7)
    assert [v.reason for v in r.lines if v.action == "skip"] == [
        "la même opération est sur ce compte (libellé écrit autrement)"
    ] * 7


def test_dry_run_shows_added_and_skipped_and_writes_nothing(books, tmp_path):
    led = books()
    before = bank(led)
    r = import_bank_statement(led.engine, write(tmp_path, statement()), MAPS, dry_run=True)
    assert r.dry_run and (r.inserted, r.already_present) == (3, 7)
    assert [(v.line, v.action, v.reason) for v in r.lines][6:8] == [
        (15, "skip", "déjà importée"),
        (16, "add", "nouvelle"),
    ]
    assert len(bank(led)) == len(before)


def test_value_dates_are_stored(books, tmp_path):
    led = books()
    import_bank_statement(led.engine, write(tmp_path, statement()), MAPS)
    got = {b.label: b.value_date for b in bank(led) if b.source}
    assert got["REMISE CHQ 0098765"] == date(2026, 10, 30)
    assert got["RETRAIT DAB"] == date(2026, 10, 28)


# ------------------------------------------------------------------ balances


def test_a_debit_read_as_a_credit_is_refused_at_its_line(books, tmp_path):
    led = books()
    msg = refused(led, write(tmp_path, statement(swap_at=8)))
    assert msg.startswith("releve_oct.csv:17: Solde: le solde du relevé")


def test_a_statement_disagreeing_with_the_ledger_is_refused_at_the_first_line(books, tmp_path):
    """The ledger holds a debit of 10/10 that the bank never made: from the next day the
    ledger's balance of the account parts from the statement's, and that line is named."""
    led = books(bank_lines_csv=bundle_lines() + f"B999,{RIB},2026-10-10,VIR EN DOUBLE,-50000.00,\n")
    msg = refused(led, write(tmp_path, statement()))
    assert msg.startswith("releve_oct.csv:12: Solde: le 12/10/2026 le solde du relevé est")
    assert "divergent à partir de cette ligne" in msg


def test_a_wrong_opening_balance_is_refused(books, tmp_path):
    led = books()
    msg = refused(led, write(tmp_path, statement(opening=Decimal("4100000.00")))).replace(
        "\u202f", " "
    )
    assert "releve_oct.csv:9: Solde: le 02/10/2026 le solde du relevé est 4 450 000,00 DA" in msg
    assert "(solde initial plus ses lignes) donne 4 550 000,00 DA" in msg


def test_closing_balance_checked_without_a_solde_column(books, tmp_path):
    led = books()
    text = statement(solde=False).replace(";Nouveau solde;;;;;", ";Nouveau solde;;;;;1")
    msg = refused(led, write(tmp_path, text))
    assert "le solde final" in msg


# ------------------------------------------------------------------ which account


def test_several_accounts_and_nothing_in_the_file_asks_for_account(books, tmp_path):
    led = books(bank_lines_csv=bundle_lines("BNA-1") + "X1,CCP-2,2026-09-01,VERSEMENT,10.00,\n")
    msg = refused(led, write(tmp_path, statement(rib_line="")))
    assert (
        "le relevé ne nomme aucun compte et le grand livre en a plusieurs : 'BNA-1' (7 lignes"
        in msg
    )
    assert "'CCP-2' (1 ligne," in msg and "--account" in msg


def test_one_account_and_nothing_in_the_file_is_that_account(books, tmp_path):
    led = books(bank_lines_csv=bundle_lines("BNA-1"))
    r = import_bank_statement(led.engine, write(tmp_path, statement(rib_line="")), MAPS)
    assert (r.account, r.inserted, r.already_present) == ("BNA-1", 3, 7)


def test_account_number_found_in_title_rows_and_matched():
    assert account_number_in([["Compte N° : 0030006 0000201930048"]]) == "00300060000201930048"
    assert account_number_in([["Période du 01/10/2026 au 31/10/2026"], ["Solde 1 234,00"]]) is None
    assert account_number_in([["", "R.I.B. 003-00060-0002019300-48"]]) == RIB
    assert same_account("0002019300", RIB) and not same_account("0002019301", RIB)
    assert not same_account(RIB, "main")


def test_account_column_names_the_account(books, tmp_path):
    led = books()
    text = statement(rib_line="").replace("Date;Libellé;", "Compte;Date;Libellé;")
    lines = text.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("Compte;"))
    for i in range(head + 1, head + 1 + len(OPS)):
        lines[i] = f"{RIB};{lines[i]}"
    for i in range(head + 1 + len(OPS), len(lines)):
        lines[i] = ";" + lines[i]
    r = import_bank_statement(led.engine, write(tmp_path, "\n".join(lines) + "\n"), MAPS)
    assert (r.account, r.inserted) == (RIB, 3)


# ------------------------------------------------------------------ what the CLI prints


def test_cli_prints_the_refusal_and_the_dry_run(books, db_url, tmp_path, capsys):
    books(bank_lines_csv=bundle_lines("main"))
    path = write(tmp_path, statement())
    assert main(["import-bank", str(path), "--db", db_url, "--account", RIB]) == 2
    err = capsys.readouterr().err
    assert "relevé refusé, rien n'a été importé" in err and "--account main" in err
    assert main(["import-bank", str(path), "--db", db_url, "--account", "main", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Importerait (essai, rien n'est écrit)" in out
    assert "écartée ligne 9" in out and "déjà importée" in out and "ajoutée ligne 16" in out


# ------------------------------------------------------------------ PDF statements


def pdf_statement(path: Path, ops=OPS, *, opening=OPENING, per_page: int = 6,
                  swap_at: int | None = None) -> Path:  # fmt: skip
    """A statement PDF in the common layout (reportlab): title lines, a header repeated on
    each page, Date / Libellé / Référence / Débit / Crédit / Solde columns with the amounts
    right-aligned, a footer on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    cols = [("Date", 40, "l"), ("Libellé", 100, "l"), ("Référence", 290, "l"),
            ("Débit", 380, "r"), ("Crédit", 460, "r"), ("Solde", 550, "r")]  # fmt: skip

    def header(y: float) -> None:
        c.setFont("Helvetica-Bold", 9)
        for name, x, align in cols:
            (c.drawString if align == "l" else c.drawRightString)(x, y, name)

    def cell(i: int, y: float, text: str) -> None:
        _, x, align = cols[i]
        if text:
            (c.drawString if align == "l" else c.drawRightString)(x, y, text)

    pages = [ops[i : i + per_page] for i in range(0, len(ops), per_page)]
    bal = int(opening * 100)
    for n, chunk in enumerate(pages, start=1):
        y = 800.0
        c.setFont("Helvetica", 10)
        if n == 1:
            for t in ["BANQUE EXTERIEURE D'ALGERIE - Agence Didouche Mourad",
                      f"RIB : {RIB[:3]} {RIB[3:8]} {RIB[8:18]} {RIB[18:]}",
                      "Période du 01/10/2026 au 31/10/2026"]:  # fmt: skip
                c.drawString(40, y, t)
                y -= 16
            c.drawString(40, y, "Ancien solde")
            c.drawRightString(550, y, fr(bal))
            y -= 24
        header(y)
        y -= 16
        c.setFont("Helvetica", 9)
        for d, _vd, label, ref, deb, cred in chunk:
            k = ops.index((d, _vd, label, ref, deb, cred))
            bal += cents(cred) - cents(deb)
            if k == swap_at:
                deb, cred = cred, deb
            for i, text in enumerate([d, label, ref, deb, cred, fr(bal)]):
                cell(i, y, text)
            y -= 14
        if n == len(pages):
            c.drawString(100, y - 6, "Nouveau solde")
            c.drawRightString(550, y - 6, fr(bal))
        c.drawString(40, 40, f"Document édité le 02/11/2026 - page {n}/{len(pages)}")
        c.showPage()
    c.save()
    return path


def test_a_pdf_statement_goes_through_the_same_checks(books, tmp_path):
    led = books()
    path = pdf_statement(tmp_path / "releve_oct.pdf")
    dry = import_bank_statement(led.engine, path, MAPS, dry_run=True)
    assert (dry.format, dry.account, dry.rows) == ("pdf", RIB, 10)
    assert [v.amount for v in dry.lines] == [Decimal(signed(o)).scaleb(-2) for o in OPS]
    assert [v.label for v in dry.lines] == [o[2] for o in OPS]
    r = import_bank_statement(led.engine, path, MAPS)
    assert (r.inserted, r.already_present, r.balances_checked) == (3, 7, True)


def test_a_pdf_statement_into_the_wrong_account_or_misread_is_refused(books, tmp_path):
    led = books()
    msg = refused(led, pdf_statement(tmp_path / "r.pdf"), account="main")
    assert f"le relevé est celui du compte {RIB}" in msg
    msg = refused(led, pdf_statement(tmp_path / "s.pdf", swap_at=3))
    # text line 9 of the document: 4 title lines, the header, then the fourth operation
    assert msg.replace("\u202f", " ").startswith(
        "s.pdf:9: Solde: le solde du relevé 5 184 769,50 DA n'est pas le solde précédent"
    )


def test_a_statement_listed_newest_first_is_reconciled_from_its_end(books, tmp_path):
    led = books()
    lines = statement().splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("Date;"))
    ops = lines[head + 1 : head + 1 + len(OPS)]
    text = "\n".join(lines[: head + 1] + ops[::-1] + lines[head + 1 + len(OPS) :]) + "\n"
    r = import_bank_statement(led.engine, write(tmp_path, text), MAPS)
    assert (r.inserted, r.already_present, r.balances_checked) == (3, 7, True)
