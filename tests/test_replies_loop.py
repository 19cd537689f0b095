"""A client answers a reminder by email; the next cycle reads the reply into the client's
history, and a promise to pay pauses that client's reminders until the promised date — when
the reply's sender is authenticated by the owner's server (``Authentication-Results`` from
``KHAZNA_TRUSTED_AUTHSERV``); tests/hostile/test_replies.py has the forged one."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.inbox import decide
from khazna.agents.run import run_cycle
from khazna.config import Paths
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.mail.transport import FileOutbox
from tests.bundles import write_bundle


def test_a_promise_by_reply_pauses_the_next_level(tmp_path, monkeypatch):
    monkeypatch.setenv("KHAZNA_TRUSTED_AUTHSERV", "mx.atlas.example.dz")
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))
    # 13/02: F2026-0001 (due 09/02) is at level 1
    first = run_cycle(deps, date(2026, 2, 15), send_report=False)
    (draft,) = [d for d in first["drafts"] if d["client_id"] == "C01"]
    sent = decide(deps, draft["draft_id"], Decision(action="approve"))
    assert sent.status == "sent"

    reply = EmailMessage()
    # what the owner's receiving server wrote on top of the message it received
    reply["Authentication-Results"] = (
        "mx.atlas.example.dz; dkim=pass header.d=sonatel.example.dz; "
        "spf=pass smtp.mailfrom=compta@sonatel.example.dz; dmarc=pass header.from=sonatel.example.dz"
    )
    reply["From"] = "Service comptable <compta@sonatel.example.dz>"
    reply["To"] = "gerance@atlas.example.dz"
    reply["Subject"] = "Re: " + sent.subject
    reply["Date"] = "Tue, 17 Feb 2026 09:30:00 +0100"
    reply["Message-ID"] = "<r1@sonatel.example.dz>"
    reply["In-Reply-To"] = sent.message_id
    reply.set_content("Bonjour, nous réglerons le solde le 05/03/2026.\n\n> " + sent.short)
    folder = Paths.from_env().home / "replies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "r1.eml").write_bytes(bytes(reply))

    # 22/02: level 2 would be due (09/02 + 10 → 19/02), but the client promised the 05/03
    second = run_cycle(deps, date(2026, 2, 22), send_report=False)
    assert len(second["replies"]["added"]) == 1
    assert not [d for d in second["drafts"] if d["client_id"] == "C01"]
    assert ("F2026-0001", "promise") in {
        (k["number"], k["reason"]) for k in second["skipped_reminders"]
    }
    # the promise passed unpaid: level 2 goes out, citing it
    third = run_cycle(deps, date(2026, 3, 8), send_report=False)
    (late,) = [d for d in third["drafts"] if d["client_id"] == "C01"]
    assert late["level"] == 2
    from khazna.agents.inbox import get_draft

    text = get_draft(deps, late["draft_id"]).detailed
    assert "vous nous aviez annoncé un règlement pour le 05/03/2026" in text
