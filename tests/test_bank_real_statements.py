"""Bank statements as banks print them, read by the same path (issue 11, part 3): a CPA-like
CSV export and a BNA-like PDF, written here from how such statements look (not from the
reader): balances stated as ``Solde au <date>`` above and below the operations, page
carry-forwards (``A reporter`` / ``Report``), labels wrapped on two lines, amounts
right-aligned, a statement listed newest first, and a ledger that already holds the period
under labels of another export."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from khazna.cli import main
from khazna.ledger.bank_import import BankImportError, import_bank_statement
from khazna.ledger.bank_mappings import BUILTIN_MAPPINGS
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import BankLine
from tests.bundles import COMPANY, write_bundle

MAPS = list(BUILTIN_MAPPINGS)
RIB = "00400123012345678945"
OPENING = 328_411_250  # centimes, the balance on 31/08/2026
# September as the bank prints it: (date, value date, label, piece, debit, credit)
OPS = [
    ("01/09/2026", "01/09/2026", "VIREMENT RECU DE SARL BATIMETAL", "0001", "", "452 300,00"),
    ("03/09/2026", "04/09/2026", "PRELEVEMENT SONELGAZ FACT 2026/08", "0002", "38 415,20", ""),
    ("06/09/2026", "06/09/2026", "CHEQUE N° 7788123", "7788123", "210 000,00", ""),
    ("09/09/2026", "10/09/2026", "VIREMENT RECU EPIC ETUSA", "0004", "", "1 118 250,00"),
    ("13/09/2026", "13/09/2026", "COMMISSION TENUE DE COMPTE", "", "2 380,00", ""),
    ("16/09/2026", "16/09/2026", "PRLV MOBILIS", "0006", "12 600,00", ""),
    (
        "20/09/2026",
        "20/09/2026",
        "VIREMENT SALAIRES AOUT 2026 PERSONNEL SIEGE",
        "0007",
        "1 305 000,00",
        "",
    ),  # fmt: skip
    ("23/09/2026", "24/09/2026", "VIREMENT RECU SPA COSIDER", "0008", "", "640 000,00"),
    ("27/09/2026", "27/09/2026", "RETRAIT GAB HYDRA", "", "30 000,00", ""),
    ("29/09/2026", "30/09/2026", "REMISE CHEQUE 0044521", "0044521", "", "96 500,00"),
]
IN_LEDGER = 7


def c(text: str) -> int:
    return int(text.replace(" ", "").replace(",", "")) if text else 0


def fr(x: int) -> str:
    whole, frac = divmod(abs(x), 100)
    return ("-" if x < 0 else "") + f"{whole:,}".replace(",", " ") + f",{frac:02d}"


def iso(d: str) -> str:
    return f"{d[6:]}-{d[3:5]}-{d[:2]}"


def balances(ops=OPS, opening=OPENING) -> list[int]:
    out, bal = [], opening
    for o in ops:
        bal += c(o[5]) - c(o[4])
        out.append(bal)
    return out


CLOSING = balances()[-1]


def csv_statement(*, rib: bool = True, closing: int = CLOSING, ops=OPS) -> str:
    """A CSV export: title rows (bank, agency, account number, period, opening balance),
    ';', decimal commas, Débit/Crédit, Solde, totals, a dated closing balance, a footer."""
    rows = ["CREDIT POPULAIRE D'ALGERIE", "Agence 123 HYDRA", "EXTRAIT DE COMPTE"]
    if rib:
        rows.append("Compte N° : 004 00123 0123456789 45")
    rows += ["Titulaire : SARL ATLAS SERVICES", "Du 01/09/2026 au 30/09/2026", "",
             f"Solde précédent au 31/08/2026;;;;;;{fr(OPENING)}",
             "Date opération;Date valeur;Libellé de l'opération;N° pièce;Débit;Crédit;Solde"]  # fmt: skip
    for o, bal in zip(ops, balances(ops), strict=True):
        rows.append(";".join([*o, fr(bal)]))
    rows += [f";;Total des mouvements;;{fr(sum(c(o[4]) for o in ops))};"
             f"{fr(sum(c(o[5]) for o in ops))};",
             f";;Solde au 30/09/2026;;;;{fr(closing)}",
             "Ce document ne tient pas lieu de justificatif. Page 1/1"]  # fmt: skip
    return "\n".join(rows) + "\n"


def pdf_statement(path: Path, *, newest: bool = False, bad_at: int | None = None,
                  swap_at: int | None = None, per_page: int = 6) -> Path:  # fmt: skip
    """A PDF in the usual layout: a header block with the RIB on every page, Date / Valeur
    / Libellé / Débit / Crédit / Solde, amounts right-aligned, labels wrapped past 30
    characters, 'A reporter' at a page's foot and 'Report' at the next page's head, the
    balances 'SOLDE AU <date>' before and after the operations, a legal footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    cv = Canvas(str(path), pagesize=A4)
    _, h = A4

    def header(page: int) -> float:
        cv.setFont("Helvetica-Bold", 13)
        cv.drawString(40, h - 50, "BANQUE NATIONALE D'ALGERIE")
        cv.setFont("Helvetica", 9)
        cv.drawString(
            40, h - 66, "Agence 604 - Kouba   Relevé de compte du 01/09/2026 au 30/09/2026"
        )
        cv.drawString(40, h - 80, "RIB : 004 00123 0123456789 45        Devise : DZD")
        cv.drawRightString(560, h - 94, f"Page {page}")
        y = h - 125
        cv.setFont("Helvetica-Bold", 9)
        for name, x in (("Date", 40), ("Valeur", 95), ("Libellé", 150)):
            cv.drawString(x, y, name)
        for name, x in (("Débit", 400), ("Crédit", 480), ("Solde", 560)):
            cv.drawRightString(x, y, name)
        cv.setFont("Helvetica", 9)
        return y - 18

    bals = balances()
    order = list(range(len(OPS)))[::-1] if newest else list(range(len(OPS)))
    top = ("SOLDE AU 30/09/2026", CLOSING) if newest else ("SOLDE AU 31/08/2026", OPENING)
    bottom = ("SOLDE AU 31/08/2026", OPENING) if newest else ("SOLDE AU 30/09/2026", CLOSING)
    page, y = 1, header(1)
    cv.drawString(150, y, top[0])
    cv.drawRightString(560, y, fr(top[1]))
    y -= 14
    prev = top[1]
    for k, i in enumerate(order):
        if k and k % per_page == 0:
            cv.drawString(150, y, "A reporter")
            cv.drawRightString(560, y, fr(prev))
            cv.drawString(40, 60, "BNA - SPA au capital de 150 000 000 000 DA")
            cv.showPage()
            page += 1
            y = header(page)
            cv.drawString(150, y, "Report")
            cv.drawRightString(560, y, fr(prev))
            y -= 14
        d, vd, label, _ref, deb, cred = OPS[i]
        if i == swap_at:
            deb, cred = cred, deb
        cv.drawString(40, y, d)
        cv.drawString(95, y, vd)
        words, first = label.split(), ""
        while words and len(f"{first} {words[0]}") <= 30:
            first = f"{first} {words.pop(0)}".strip()
        cv.drawString(150, y, first)
        if deb:
            cv.drawRightString(400, y, deb)
        if cred:
            cv.drawRightString(480, y, cred)
        cv.drawRightString(560, y, fr(bals[i] + (100_000 if i == bad_at else 0)))
        if words:
            y -= 11
            cv.drawString(150, y, " ".join(words))
        y -= 14
        prev = bals[i]
    cv.drawString(150, y, "TOTAL DES MOUVEMENTS")
    cv.drawRightString(400, y, fr(sum(c(o[4]) for o in OPS)))
    cv.drawRightString(480, y, fr(sum(c(o[5]) for o in OPS)))
    y -= 14
    cv.drawString(150, y, bottom[0])
    cv.drawRightString(560, y, fr(bottom[1]))
    cv.drawString(40, 60, "BNA - SPA au capital de 150 000 000 000 DA - édité le 01/10/2026")
    cv.save()
    return path


def bank_csv(account: str = RIB, label=lambda s: s, refs: bool = True) -> str:
    """The ledger's first seven September lines, as another export wrote them."""
    out = "line_id,account,date,label,amount,reference\n"
    for i, (d, _vd, lab, ref, deb, cred) in enumerate(OPS[:IN_LEDGER]):
        amount = Decimal(c(cred) - c(deb)).scaleb(-2)
        out += f"L{i:03d},{account},{iso(d)},{label(lab)},{amount},{ref if refs else ''}\n"
    return out + "M001,main,2026-08-05,VIR RECU CLIENT X,150000.00,\n"


@pytest.fixture
def books(tmp_path, db_url):
    def make(bank: str, **company) -> Ledger:
        led = Ledger(db_url)
        co = json.dumps({**COMPANY, **company})
        import_bundle(led, write_bundle(tmp_path / "b", bank_lines_csv=bank, company_json=co))
        return led

    return make


def write(tmp_path: Path, text: str, name: str = "sept.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def lines(led: Ledger) -> list[tuple[str, str, Decimal]]:
    with led.read() as s:
        return [
            (b.account, b.date.isoformat(), b.amount)
            for b in s.scalars(select(BankLine).order_by(BankLine.date, BankLine.line_id))
        ]


def refused(led: Ledger, path: Path, **kw) -> str:
    before = lines(led)
    with pytest.raises(BankImportError) as err:
        import_bank_statement(led.engine, path, MAPS, **kw)
    assert lines(led) == before, "nothing written"
    return str(err.value).replace("\u202f", " ")


def unrelated(label: str) -> str:
    """Another program's wording of the same operation: no word in common."""
    return "OPERATION " + re.sub(r"[^A-Z]", "", label)[::-1][:16]


# ------------------------------------------------------------ already in the ledger


def test_same_dates_and_amounts_under_another_account_refused_whatever_the_labels(books, tmp_path):
    """The ledger holds September under the RIB's account, labels and references from
    another program: seven lines match to the centime, day after day. Importing the
    statement into 'main' would double them: refused, naming the account; --force adds."""
    led = books(bank_csv(label=unrelated, refs=False))
    path = write(tmp_path, csv_statement(rib=False))
    msg = refused(led, path, account="main")
    assert f"7 des 10 lignes de ce relevé sont déjà au grand livre sous un autre compte : " \
        f"'{RIB}' (7 lignes) (dont 7 de même date et même montant sous un autre libellé)" in msg  # fmt: skip
    assert f"--account {RIB}" in msg and "--force" in msg
    dry = import_bank_statement(led.engine, path, MAPS, account="main", force=True, dry_run=True)
    assert dry.inserted == 10 and dry.also_elsewhere == {RIB: 7}
    assert dry.lines[0].reason.startswith(f"même date et même montant sur le compte '{RIB}'")


def test_same_dates_and_amounts_in_this_account_are_not_added_again(books, tmp_path):
    led = books(bank_csv(label=unrelated, refs=False))
    r = import_bank_statement(led.engine, write(tmp_path, csv_statement()), MAPS)
    assert (r.account, r.inserted, r.already_present, r.balances_checked) == (RIB, 3, 7, True)
    assert sum(a == RIB for a, _, _ in lines(led)) == 10
    assert r.lines[0].reason == (
        f"même date et même montant sur ce compte, sous '{unrelated(OPS[0][2])}'"
    )
    again = import_bank_statement(led.engine, write(tmp_path, csv_statement(), "b.csv"), MAPS)
    assert (again.inserted, again.already_present) == (0, 10)


def test_a_line_dated_by_its_value_date_elsewhere_is_the_same_line(books, tmp_path):
    """The other export dated each line by its value date (04/09 for an operation of
    03/09): still found."""
    out = "line_id,account,date,label,amount,reference\n"
    for i, (_d, vd, lab, _ref, deb, cred) in enumerate(OPS[:IN_LEDGER]):
        out += f"L{i:03d},{RIB},{iso(vd)},{unrelated(lab)},{Decimal(c(cred) - c(deb)) / 100},\n"
    led = books(out)
    msg = refused(led, write(tmp_path, csv_statement(rib=False)), account="main")
    assert "7 des 10 lignes" in msg


def test_the_companys_rib_is_the_only_account_of_the_ledger(books, tmp_path):
    led = books(bank_csv("main"),
                rib=RIB, opening_balance=float(Decimal(OPENING - 15_000_000) / 100),
                opening_date="2026-08-01")  # fmt: skip
    r = import_bank_statement(led.engine, write(tmp_path, csv_statement()), MAPS)
    assert r.account == "main" and "le RIB de la société" in r.account_from
    assert (r.inserted, r.already_present, r.balances_checked) == (3, 7, True)


def test_another_rib_than_the_companys_is_asked_about(books, tmp_path):
    """The statement names an account the ledger does not know: which is it? Asked."""
    other = books(bank_csv("main"), rib="00100200300400500617")
    msg = refused(other, write(tmp_path, csv_statement()))
    assert f"le numéro de compte du relevé {RIB} ne correspond à aucun compte du grand livre " \
        "('main' (8 lignes" in msg  # fmt: skip


# ------------------------------------------------------------ balances


def test_a_closing_balance_written_solde_au_a_date_is_checked(books, tmp_path):
    led = books(bank_csv())
    msg = refused(led, write(tmp_path, csv_statement(closing=CLOSING - 70_000)))
    assert msg.startswith(
        "sept.csv:21: le solde final 3 992 067,30 DA n'est pas le dernier solde 3 992 767,30 DA"
    )


def test_dated_balance_rows_and_both_balances_in_the_title_rows(books, tmp_path):
    led = books(bank_csv())
    text = csv_statement().replace(
        f"Solde précédent au 31/08/2026;;;;;;{fr(OPENING)}",
        f"Solde au 31/08/2026;;;;;;{fr(OPENING)}\nSolde au 30/09/2026;;;;;;{fr(CLOSING - 1)}",
    )
    msg = refused(led, write(tmp_path, text))
    assert msg.startswith("sept.csv:9: le solde final 3 992 767,29 DA")  # its own line
    # inside the table, dated: "31/08/2026;;Solde précédent;;;;…", and in the first column
    inside = csv_statement().replace(f"Solde précédent au 31/08/2026;;;;;;{fr(OPENING)}\n", "")
    inside = inside.replace("Solde\n", f"Solde\n31/08/2026;;Solde précédent;;;;{fr(OPENING + 1)}\n")
    msg = refused(led, write(tmp_path, inside, "i.csv"))
    assert msg.startswith("i.csv:10: Solde: le solde du relevé 3 736 412,50 DA n'est pas le "
                          "solde précédent 3 284 112,51 DA")  # fmt: skip


def test_a_debtor_opening_balance_is_negative(books, tmp_path):
    led = books(bank_csv())
    text = csv_statement().replace(
        f"Solde précédent au 31/08/2026;;;;;;{fr(OPENING)}",
        f"Solde débiteur au 31/08/2026;;;;;;{fr(OPENING)}",
    )
    msg = refused(led, write(tmp_path, text))
    assert "le solde précédent -3 284 112,50 DA" in msg


# ------------------------------------------------------------ PDF


def test_a_paged_pdf_with_carry_forwards_and_wrapped_labels(books, tmp_path):
    led = books(bank_csv())
    path = pdf_statement(tmp_path / "sept.pdf")
    dry = import_bank_statement(led.engine, path, MAPS, dry_run=True)
    assert (dry.format, dry.account, dry.rows, dry.balances_checked) == ("pdf", RIB, 10, True)
    assert [v.label for v in dry.lines] == [o[2] for o in OPS]  # the wrapped one whole
    assert [v.amount for v in dry.lines] == [Decimal(c(o[5]) - c(o[4])) / 100 for o in OPS]
    r = import_bank_statement(led.engine, path, MAPS)
    assert (r.inserted, r.already_present) == (3, 7)
    with led.read() as s:
        got = s.scalars(select(BankLine.value_date).where(BankLine.source == "sept.pdf"))
        assert sorted(got) == [date(2026, 9, 24), date(2026, 9, 27), date(2026, 9, 30)]
    # the CSV export of the same month afterwards: nothing more
    csv = import_bank_statement(led.engine, write(tmp_path, csv_statement()), MAPS)
    assert (csv.inserted, csv.already_present) == (0, 10)


def test_a_pdf_listed_newest_first(books, tmp_path):
    led = books(bank_csv())
    r = import_bank_statement(led.engine, pdf_statement(tmp_path / "n.pdf", newest=True), MAPS)
    assert (r.inserted, r.already_present, r.balances_checked) == (3, 7, True)


def test_a_pdf_whose_balances_diverge_is_refused_at_that_line(books, tmp_path):
    led = books(bank_csv())
    msg = refused(led, pdf_statement(tmp_path / "b.pdf", bad_at=7))
    # text lines: 4 title lines, the header, the opening, 6 operations (two wrapped), the
    # page's foot (2), the next page's head (4 title lines, header, Report), the 7th (wrapped)
    assert msg.startswith("b.pdf:25: Solde: le solde du relevé 3 927 267,30 DA")
    msg = refused(led, pdf_statement(tmp_path / "s.pdf", swap_at=8, newest=True))
    assert re.match(r"s\.pdf:\d+: Solde: .* une colonne débit/crédit lue à l'envers", msg)


# ------------------------------------------------------------ the command


def test_cli_dry_run_and_refusals_print_what_and_why(books, db_url, tmp_path, capsys):
    books(bank_csv(label=unrelated, refs=False))
    path = write(tmp_path, csv_statement(rib=False))
    assert main(["import-bank", str(path), "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "le relevé ne nomme aucun compte et le grand livre en a plusieurs : " \
        f"'{RIB}' (7 lignes, dernière le 20/09/2026), 'main' (1 ligne, dernière le 05/08/2026)" in err  # fmt: skip
    assert main(["import-bank", str(path), "--db", db_url, "--account", RIB, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Importerait (essai, rien n'est écrit)" in out and "soldes             concordent" in out
    assert re.search(r"écartée ligne 9 +01/09/2026 .* même date et même montant sur ce "
                     r"compte, sous 'OPERATION LATEMITABLRASEDU' \(L000\)", out)  # fmt: skip
    assert re.search(r"ajoutée ligne 16 +23/09/2026 .*VIREMENT RECU SPA COSIDER +nouvelle", out)
    assert main(["import-bank", str(path), "--db", db_url, "--account", RIB, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == 3
