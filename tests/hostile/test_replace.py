"""Issue 15 part 6: ``khazna import --replace`` deletes the books and says so; it keeps what is
not books (users, sessions, mail history, reports, settings, decided drafts, the receipts of
expenses still there); at a terminal it lists what it will delete and asks first.

The attack it answers: ``--replace`` then ``khazna run`` the same day deleted the users, the
mail history and the reports without a word, and reused finished approval threads."""

from __future__ import annotations

import json
import sys
from datetime import date

import pytest
from sqlalchemy import func, select

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.inbox import decide
from khazna.cli import main
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Invoice, Setting
from khazna.ledger.replace import BOOKS, KEPT
from khazna.ledger.schema import METADATA
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.ledger.tables_mail import MailMessage
from khazna.ledger.tables_receipts import Receipt
from khazna.mail.transport import FileOutbox
from khazna.tools.receipts import attach_receipt
from khazna.web.users import add_user, authenticate
from tests.bundles import FILES, write_bundle
from tests.web_helpers import add_draft

AS_OF = date(2026, 3, 31)
SENT = "D20260331-C01-L3"
EXPENSES_2 = FILES["expenses.csv"] + (
    "E002,2026-03-02,,Caisse,fournitures,3000.00,especes,,,,,no,Encre\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_every_table_is_either_books_or_kept():
    tables = {t.name for t in METADATA.sorted_tables} - {"alembic_version"}
    assert set(BOOKS) | set(KEPT) == tables
    assert not set(BOOKS) & set(KEPT)


def _run(deps: AgentDeps) -> list[str]:
    out = build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}}
    )
    return [d["draft_id"] for d in out["drafts"]]


@pytest.fixture
def lived_in(tmp_path) -> AgentDeps:
    """A ledger after some weeks of use: a user, a sent reminder (mail history), a draft
    waiting for the owner, receipts on two expenses, a setting of the owner's."""
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b", expenses_csv=EXPENSES_2))
    with ledger.session() as s:
        add_user(s, "amina", "owner", "amina-pass-123")
        s.merge(Setting(key="alerts_state", value={"alert:x": "2026-03-30"}))
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    assert _run(deps) == [SENT]
    decide(deps, SENT, Decision(action="approve", by="amina"))
    add_draft(ledger, "D20260331-C02-L1")  # waiting for the owner
    attach_receipt(ledger, "E001", "salaires.png", PNG)
    attach_receipt(ledger, "E002", "encre.png", PNG)
    return deps


def test_replace_deletes_the_books_and_keeps_the_rest(lived_in, tmp_path):
    ledger = lived_in.ledger
    report = import_bundle(ledger, write_bundle(tmp_path / "b2"), replace=True)  # no E002
    assert report.deleted["invoices"] == 4 and report.deleted["clients"] == 3
    assert report.deleted["drafts"] == 1  # the one waiting; the sent one stays
    assert report.deleted["receipts"] == 1  # E002 is not in the new books
    assert report.deleted["settings"] == 1  # the policy, now the new bundle's
    assert report.kept["users"] == 1 and report.kept["drafts"] == 1
    assert report.kept["mail_messages"] == 1 and report.kept["receipts"] == 1
    assert report.kept["settings"] == 1  # alerts_state
    with ledger.read() as s:
        assert authenticate(s, "amina", "amina-pass-123") is not None
        assert s.get(Draft, SENT).status == DraftStatus.SENT
        assert s.get(Draft, "D20260331-C02-L1") is None
        assert [r.expense_id for r in s.scalars(select(Receipt))] == ["E001"]
        assert s.scalar(select(func.count()).select_from(MailMessage)) == 1
        assert s.get(Setting, "alerts_state") is not None
        assert s.get(Setting, "policy") is not None  # the new bundle's policy.json
        assert s.scalar(select(func.count()).select_from(Invoice)) == 4
    # the same day, the reminder already sent is not drafted (nor sent) a second time
    assert _run(lived_in) == []
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_a_pending_draft_is_drafted_again_on_a_new_thread_and_can_be_decided(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    assert _run(deps) == [SENT]
    with ledger.read() as s:
        first = s.get(Draft, SENT).thread_id
    import_bundle(ledger, write_bundle(tmp_path / "b2"), replace=True)
    assert _run(deps) == [SENT]
    with ledger.read() as s:
        d = s.get(Draft, SENT)
        assert d.status == DraftStatus.PENDING_APPROVAL and d.thread_id != first
    decide(deps, SENT, Decision(action="approve", by="owner"))
    with ledger.read() as s:
        assert s.get(Draft, SENT).status == DraftStatus.SENT


class _Tty:
    def __init__(self, answer: str) -> None:
        self.answer = answer

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.answer + "\n"


def test_the_cli_says_what_it_deletes_and_asks_at_a_terminal(
    lived_in, tmp_path, monkeypatch, capsys
):
    url = lived_in.ledger.url
    bundle = write_bundle(tmp_path / "b2")
    monkeypatch.setattr(sys, "stdin", _Tty("n"))
    monkeypatch.setattr("builtins.input", lambda prompt="": sys.stdin.readline().rstrip("\n"))
    assert main(["import", str(bundle), "--replace", "--db", url]) == 1
    out = capsys.readouterr()
    assert "--replace supprimera : 1 fiche société, 3 clients" in out.err
    assert "1 brouillon" in out.err and "et gardera : 1 utilisateur" in out.err
    assert "1 brouillons" not in out.err and "1 utilisateurs" not in out.err  # count()
    assert "remplacement annulé : rien n'a été modifié" in out.err
    with lived_in.ledger.read() as s:
        assert s.get(Draft, "D20260331-C02-L1") is not None  # nothing touched
    monkeypatch.setattr(sys, "stdin", _Tty("oui"))
    assert main(["import", str(bundle), "--replace", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Remplacé : supprimé 1 fiche société, 3 clients" in out
    assert "1 justificatif" in out and "gardé : 1 utilisateur" in out


class _Pipe(_Tty):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("json_out", [False, True])
def test_without_a_terminal_it_refuses_unless_yes_and_reports_in_json(
    lived_in, tmp_path, monkeypatch, capsys, json_out
):
    """No terminal (a script, a pipe) or ``--json``: nobody can answer the question, so
    ``--replace`` lists what it would delete and deletes nothing unless ``--yes`` said so."""
    url = lived_in.ledger.url
    bundle = str(write_bundle(tmp_path / "b2"))
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", _Pipe("oui"))
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or "oui")
    flags = ["--json"] if json_out else []
    assert main(["import", bundle, "--replace", "--db", url, *flags]) == 1
    err = capsys.readouterr().err
    assert "--replace supprimera : 1 fiche société, 3 clients" in err
    assert "sans terminal pour confirmer : rien n'a été modifié" in err and "--yes" in err
    assert asked == []  # never asked a question nobody can answer
    with lived_in.ledger.read() as s:
        assert s.get(Draft, "D20260331-C02-L1") is not None  # nothing touched
        assert s.scalar(select(func.count()).select_from(Receipt)) == 2

    assert main(["import", bundle, "--replace", "--yes", "--db", url, *flags]) == 0
    out = capsys.readouterr().out
    assert asked == []
    if json_out:
        doc = json.loads(out)
        assert doc["deleted"]["drafts"] == 1 and doc["kept"]["users"] == 1
        assert doc["deleted"]["receipts"] == 1 and doc["kept"]["receipts"] == 1
    else:
        assert "Remplacé : supprimé 1 fiche société, 3 clients" in out
    with lived_in.ledger.read() as s:
        assert s.get(Draft, "D20260331-C02-L1") is None


def test_an_empty_ledger_needs_no_confirmation(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Pipe(""))
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--replace", "--db", url]) == 0
    assert "supprimera" not in capsys.readouterr().err


def test_khazna_demo_asks_before_replacing_a_company_s_own_books(tmp_path, monkeypatch, capsys):
    """``khazna demo`` replaces the books it wrote without a word, but a company's own books
    only as ``import --replace`` would: listed, then asked (refused without a terminal)."""
    url = f"sqlite:///{tmp_path / 'own.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", url]) == 0
    monkeypatch.setattr(sys, "stdin", _Pipe(""))
    demo = ["demo", "--db", url, "--dir", str(tmp_path / "d"), "--as-of", "2026-03-31"]
    capsys.readouterr()
    assert main(demo) == 1
    err = capsys.readouterr().err
    assert "khazna demo supprimera : 1 fiche société, 3 clients" in err
    assert "khazna demo sans terminal pour confirmer : rien n'a été modifié" in err
    assert not (tmp_path / "d").exists()  # nothing generated either
    led = Ledger(url)
    with led.read() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 4
    assert main([*demo, "--yes"]) == 0
    assert main(demo) == 0  # the demo's own books: replaced again without a question
    assert "supprimera" not in capsys.readouterr().err
    with led.read() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) > 100
    led.dispose()
