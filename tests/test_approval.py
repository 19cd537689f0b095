"""Nothing leaves without the owner: durable approval threads, exactly-once sending,
edits and rejections, through a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.inbox import InboxError, decide, list_drafts
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.tables_agents import Draft, DraftStatus
from khazna.mail.transport import FileOutbox, MailSettings, SmtpTransport
from tests.bundles import write_bundle

AS_OF = date(2026, 3, 31)  # F2026-0001 (Sonatel, grand compte) is 50 days late: level 3
DRAFT = "D20260331-C01-L3"


def _drafted(db_url: str, tmp_path: Path, transport=None) -> AgentDeps:
    ledger = Ledger(db_url)
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    deps = AgentDeps(ledger=ledger, transport=transport)
    out = build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}}
    )
    assert [d["draft_id"] for d in out["drafts"]] == [DRAFT]
    return deps


def _smtp(port: int) -> SmtpTransport:
    return SmtpTransport(
        MailSettings(host="127.0.0.1", port=port, mail_from="tresorerie@atlas.example.dz")
    )


def test_draft_statuses_are_stored_as_their_plain_strings(db_url, tmp_path):
    assert [s.value for s in DraftStatus] == [
        "pending_approval",
        "approved",
        "sent",
        "rejected",
        "failed",
    ]
    deps = _drafted(db_url, tmp_path)
    with deps.ledger.read() as s:
        stored = s.get(Draft, DRAFT).status
    assert type(stored) is str and stored == "pending_approval" == DraftStatus.PENDING_APPROVAL


def test_approval_sends_the_exact_text_with_the_invoice_attached(db_url, tmp_path, smtp):
    deps = _drafted(db_url, tmp_path, _smtp(smtp.port))
    assert smtp.accepted == []  # drafted, waiting: nothing sent
    view = decide(deps, DRAFT, Decision(action="approve", by="gerant"))
    assert view.status == "sent"
    assert len(smtp.accepted) == 1
    msg = smtp.parsed(0)
    assert msg["To"] == "compta@sonatel.example.dz"
    assert msg["Subject"] == view.subject
    assert msg["Message-ID"] == view.message_id
    assert msg["Reply-To"] == "gerance@atlas.example.dz"
    body = msg.get_body(("plain",)).get_content()
    assert body.replace("\r\n", "\n").strip() == view.detailed.strip()  # SMTP lines end in CRLF
    (pdf,) = [p for p in msg.iter_attachments() if p.get_filename() == "F2026-0001.pdf"]
    assert pdf.get_content().startswith(b"%PDF")
    # approving again sends nothing more
    with pytest.raises(InboxError, match="already sent"):
        decide(deps, DRAFT, Decision(action="approve"))
    assert len(smtp.accepted) == 1


def test_edit_sends_the_edited_text_and_reject_sends_nothing(
    db_url, another_db_url, tmp_path, smtp
):
    deps = _drafted(db_url, tmp_path, _smtp(smtp.port))
    view = decide(
        deps,
        DRAFT,
        Decision(
            action="edit", detailed="Texte revu par le gérant : merci de régler 57 100,00 DA."
        ),
    )
    assert view.status == "sent" and view.edited
    assert "Texte revu par le gérant" in smtp.parsed(0).get_body(("plain",)).get_content()

    other = tmp_path / "other"
    other.mkdir()
    deps2 = _drafted(another_db_url, other, _smtp(smtp.port))
    view = decide(deps2, DRAFT, Decision(action="reject", reason="client rencontré hier"))
    assert view.status == "rejected" and view.decision_note == "client rencontré hier"
    assert len(smtp.accepted) == 1
    # a rejected level is not drafted again
    again = build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "t2"}, {"configurable": {"deps": deps2}}
    )
    assert again["drafts"] == []


def test_a_crash_after_approval_before_sending_sends_once_on_retry(db_url, tmp_path, monkeypatch):
    outbox = tmp_path / "outbox"
    deps = _drafted(db_url, tmp_path, FileOutbox(outbox))
    import khazna.agents.approval.sending as sending

    real = sending.deliver_now
    monkeypatch.setattr(
        sending, "deliver_now", lambda *a: (_ for _ in ()).throw(RuntimeError("power cut"))
    )
    with pytest.raises(RuntimeError, match="power cut"):
        decide(deps, DRAFT, Decision(action="approve"))
    assert list_drafts(deps, statuses=("approved",))[0].draft_id == DRAFT
    assert not outbox.exists() or not list(outbox.iterdir())
    monkeypatch.setattr(sending, "deliver_now", real)
    view = decide(deps, DRAFT, Decision(action="approve"))  # the owner clicks again
    assert view.status == "sent"
    assert len(list(outbox.glob("*.eml"))) == 1


def test_a_restart_between_draft_and_approval_loses_nothing(db_url, tmp_path):
    """A process drafts, then dies by SIGKILL; another process approves the same draft."""
    env = {
        **os.environ,
        "KHAZNA_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    db = db_url
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import date
        from pathlib import Path
        from khazna.agents.deps import AgentDeps
        from khazna.agents.dunning.graph import build_dunning_graph
        from khazna.ledger.bundle import import_bundle
        from khazna.ledger.db import Ledger
        from tests.bundles import write_bundle
        ledger = Ledger({db!r})
        import_bundle(ledger, write_bundle(Path({str(tmp_path / "b")!r})))
        build_dunning_graph().invoke({{"as_of": date(2026, 3, 31), "run_id": "t"}},
                                     {{"configurable": {{"deps": AgentDeps(ledger=ledger)}}}})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == -9, proc.stderr
    run = subprocess.run(
        [sys.executable, "-m", "khazna.cli", "inbox", "approve", DRAFT, "--db", db, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert '"status": "sent"' in run.stdout
    assert len(list((tmp_path / "home" / "outbox").glob("*.eml"))) == 1
    twice = subprocess.run(
        [sys.executable, "-m", "khazna.cli", "inbox", "approve", DRAFT, "--db", db],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert twice.returncode == 1 and "already sent" in twice.stderr
    assert len(list((tmp_path / "home" / "outbox").glob("*.eml"))) == 1


def test_the_owners_edit_and_the_sent_reminder_join_the_clients_memory(
    db_url, tmp_path, monkeypatch
):
    from khazna.agents.memory_link import open_memory

    monkeypatch.setenv("KHAZNA_EMBEDDER", "hashing")
    deps = _drafted(db_url, tmp_path, FileOutbox(tmp_path / "outbox"))
    deps.memory = open_memory(deps.ledger)
    decide(
        deps, DRAFT, Decision(action="edit", detailed="Texte revu : merci de régler 57 100,00 DA.")
    )
    history = {r.id: r for r in deps.memory.history("C01")}
    assert history[f"owner_edit:{DRAFT}"].source == "owner_edit"
    assert "Texte revu" in history[f"owner_edit:{DRAFT}"].text
    assert history[f"reminder:{DRAFT}"].kind == "reminder"
    assert history[f"reminder:{DRAFT}"].invoice_numbers == ["F2026-0001"]


def test_approving_a_draft_for_a_client_without_email_fails_cleanly(tmp_path, capsys):
    from khazna.cli import main
    from tests.bundles import FILES

    db = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(db)
    clients = FILES["clients.csv"].replace("compta@sonatel.example.dz", "")
    import_bundle(ledger, write_bundle(tmp_path / "b", clients_csv=clients))
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    build_dunning_graph().invoke({"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}})
    assert main(["inbox", "approve", DRAFT, "--db", db]) == 0
    out = capsys.readouterr().out
    assert "failed" in out
    view = list_drafts(deps, statuses=("failed",))[0]
    assert "no recipient" in view.decision_note.lower() or "recipient" in view.decision_note.lower()
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir())
