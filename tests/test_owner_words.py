"""What the owner reads is in words, not codes, and never a negative delay (issue 13, part 3-4)."""

from __future__ import annotations

import re

from khazna.cli import main
from khazna.tools.receivables import lateness
from khazna.web.common import _lateness
from tests.bundles import write_bundle


def test_lateness_is_a_delay_or_a_due_date_to_come():
    assert lateness(12) == "retard 12 j"
    assert lateness(0) == "échéance aujourd'hui"
    assert lateness(-8) == "échéance dans 8 j"
    assert _lateness(-43) == "échéance dans 43 j" and _lateness(5) == "5 j"


def test_aging_and_forecast_print_words_and_french_dates(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    assert main(["aging", "--db", db, "--as-of", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "non échu" in out and "plus de 90 j" in out and "not_due" not in out
    assert "Balance âgée au 31/03/2026" in out
    assert not re.search(r"-\d+ (?:d|j)\b", out)  # no negative delay
    assert main(["forecast", "--db", db, "--as-of", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "a_surveiller" not in out and " ok\n" not in out
    assert re.search(
        r"Prévision de trésorerie du 31/03/2026 sur 30 jours : (OK|à surveiller|tension)", out
    )


def test_user_add_in_a_terminal_asks_for_the_password_in_french(tmp_path, monkeypatch, capsys):
    """Issue 13.3: the prompts of ``user add`` were getpass's English ('Password for amina:',
    'Repeat:')."""
    import getpass
    import io

    asked: list[str] = []

    def prompt(text: str = "") -> str:
        asked.append(text)
        return "un-mot-de-passe-solide"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(getpass, "getpass", prompt)
    monkeypatch.setattr("sys.stdin", Terminal())
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["user", "add", "amina", "--role", "owner", "--db", db]) == 0
    assert asked == ["Mot de passe de amina : ", "Le même, une seconde fois : "]
    assert not re.search(r"Password|Repeat", capsys.readouterr().out)


def test_inbox_show_says_who_decided_and_when_in_algiers_time(tmp_path, monkeypatch, capsys):
    """Issue 13.3: a decided draft says who decided (« le gérant » for the default ``--by
    owner``, a user's name as it is) and when, on the Algiers clock — not "owner", not UTC;
    ``--json`` keeps the codes."""
    import json
    from datetime import datetime

    from khazna.labels import decider
    from khazna.ledger.tables_agents import Draft
    from tests.web_helpers import DRAFT_ID, add_draft, ledger_with_draft

    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "home"))
    url, ledger = ledger_with_draft(tmp_path)
    with ledger.session() as s:
        d = s.get(Draft, DRAFT_ID)
        d.status, d.decided_by, d.decided_at = "rejected", "owner", datetime(2026, 12, 7, 23, 30)
        d.decision_note = "déjà réglé"
    add_draft(ledger, "DAMINA", status="rejected", decided_by="amina",
              decided_at=datetime(2026, 12, 8, 8, 5), decision_note="doublon")  # fmt: skip
    assert main(["inbox", "show", DRAFT_ID, "--db", url]) == 0
    out = capsys.readouterr().out
    # 23:30 UTC on the 7th is 00:30 on the 8th in Algiers (UTC+1)
    assert "Décision : le gérant, le 08/12/2026 00:30 (heure d'Alger) — déjà réglé" in out
    assert "owner" not in out and "UTC" not in out
    assert main(["inbox", "show", "DAMINA", "--db", url]) == 0
    assert "Décision : amina, le 08/12/2026 09:05 (heure d'Alger)" in capsys.readouterr().out
    assert main(["inbox", "show", DRAFT_ID, "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["decided_by"] == "owner"
    assert decider("accountant") == "le comptable" and decider("") == ""
    ledger.dispose()


def test_aging_wraps_long_names_and_keeps_arabic_names_clear_of_the_amounts(tmp_path, capsys):
    """Issue 13.6: a long client name wraps inside its column (its end on the next line,
    never cut, never over the amounts); an Arabic name is isolated so a right-to-left
    terminal keeps the amounts after it in place; the risk list is in French (« 75 % »)."""
    from tests.bundles import FILES

    long_name = "Entreprise Nationale de Travaux Publics du Grand Alger SPA"
    arabic = "مديرية الصحة لولاية بومرداس"
    clients = (
        FILES["clients.csv"]
        .replace("Sonatel SPA", long_name)
        .replace("APC Bab Ezzouar,", f"{arabic},")
    )
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b", clients_csv=clients)), "--db", db]) == 0
    capsys.readouterr()
    assert main(["aging", "--db", db, "--as-of", "2026-03-31", "--risk", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = next(ln for ln in lines if ln.startswith("client "))  # after the title and its note
    first = next(ln for ln in lines if ln.startswith("C01 "))
    at = lines.index(first) + 1
    rest = []
    while lines[at].startswith("    "):  # the name's continuation lines, in its column
        rest += lines[at].split()
        at += 1
    # the amounts start where the header's first amount column starts, the name is whole
    assert first.index(" DA") + len(" DA") == head.index("non échu") + len("non échu")
    assert first[:28].split() + rest == ["C01", *long_name.split()]
    ar = next(ln for ln in lines if ln.startswith("C03 "))
    assert "\u2068" in ar and "\u2069" in ar
    assert ar.replace("\u2068", "").replace("\u2069", "").index(" DA") == first.index(" DA")
    risk = [ln for ln in lines if ln.lstrip().startswith("risque")]
    assert len(risk) == 2 and all(re.search(r"risque\s+\d+ %", ln) for ln in risk), risk
    assert not re.search(r"\d\.\d\d|days_late|client_delay|\brisk\b", "\n".join(lines))


def test_a_second_decision_on_a_written_reminder_does_not_call_it_sent(
    tmp_path, monkeypatch, capsys
):
    """Issue 13.1: with no SMTP server the reminder was only written to the local outbox; a
    second ``approve`` says that, not « déjà envoyée »."""
    from tests.web_helpers import DRAFT_ID, ledger_with_draft

    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KHAZNA_SMTP_HOST", raising=False)
    url, ledger = ledger_with_draft(tmp_path)
    assert main(["inbox", "approve", DRAFT_ID, "--yes", "--db", url]) == 0
    capsys.readouterr()
    assert main(["inbox", "approve", DRAFT_ID, "--yes", "--db", url]) != 0
    err = capsys.readouterr().err
    assert "déjà écrite dans la boîte d'envoi locale (non envoyée) : rien à décider" in err, err
    assert "déjà envoyée" not in err
    ledger.dispose()


def test_why_a_batch_payer_is_expected_is_said_in_french():
    """``forecast --explain`` shows it: it read "paid on 2025-12-07, 1 year(s) before"."""
    from datetime import date

    from khazna.tools.forecast_draws import batch_day

    paid = [date(2025, 6, 7), date(2025, 12, 7), date(2026, 6, 8)]
    day, why = batch_day(paid, date(2026, 12, 1), 30)
    assert day is not None and why == "payé le 07/12/2025, il y a 1 an"
    assert batch_day([], date(2026, 12, 1), 30) == (None, "aucun paiement encore")
    for paid_on in ([date(2026, 1, 5), date(2026, 3, 5)], [date(2026, 11, 1)]):
        _, why = batch_day(paid_on, date(2026, 12, 1), 30)
        assert not re.search(r"\b(?:paid|gaps|before|none|year)\b|\d{4}-\d\d-\d\d", why), why
