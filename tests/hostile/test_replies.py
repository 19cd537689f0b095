"""Issue 15, parts 2 and 3: one email never stops the cycle; a reply is evidence, not authority.

Every hostile message is built by tests/hostile/mail_craft.py when the test runs.
"""

from __future__ import annotations

import csv
import json
import time
from datetime import date
from email import message_from_bytes, policy

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.inbox import decide, get_draft
from khazna.agents.run import run_cycle
from khazna.cli import main
from khazna.config import Paths
from khazna.ledger.bundle import export_bundle, import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.migrate import alembic_config
from khazna.ledger.models import Interaction
from khazna.mail import replies
from khazna.mail.authres import sender_auth
from khazna.mail.replies import (
    Limits,
    Quarantine,
    Unreadable,
    ingest_messages,
    read_message,
)
from khazna.mail.transport import FileOutbox
from khazna.tools.client_state import client_states
from khazna.web.app import create_app
from khazna.web.throttle import LoginLimiter
from khazna.web.users import add_user
from tests.bundles import write_bundle
from tests.hostile.mail_craft import TRUSTED, deeply_nested, passing, reply
from tests.web_helpers import OWNER, login

AS_OF = date(2026, 3, 31)  # F2026-0001 (C01, 57 100 DA open, due 09/02) is at level 3
FORGED = "Bonjour, nous paierons toutes les factures le 30/12/2026."


@pytest.fixture
def home():
    path = Paths.from_env()
    path.replies.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def ledger(tmp_path, home):
    led = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(led, write_bundle(tmp_path / "b"))
    yield led
    led.dispose()


def _run_json(db: str, capsys, *extra: str) -> dict:
    capsys.readouterr()
    code = main(["run", "--db", db, "--as-of", AS_OF.isoformat(), "--no-send", "--json", *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


# --- part 2: one email must not stop the cycle -----------------------------------------------


def test_the_1000_deep_reply_is_refused_at_once_without_recursion():
    raw = deeply_nested(1000)
    assert 55_000 < len(raw) < 75_000  # the 60 KB message
    # what the standard library does with it: the attack as described
    with pytest.raises(RecursionError):
        message_from_bytes(raw, policy=policy.default).get_body()
    started = time.monotonic()
    with pytest.raises(Unreadable) as err:
        read_message(raw)
    assert time.monotonic() - started < 1
    assert err.value.code == "mime_too_deep"
    assert "1000 conteneurs MIME" in err.value.message


def _parts(n: int) -> bytes:
    body = b"".join(b"--B\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(n))
    return (
        b"From: compta@sonatel.example.dz\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + body + b"--B--\r\n"
    )


class _Clock:
    """Ten seconds pass at each look at the clock."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 10
        return self.now


@pytest.mark.parametrize(
    ("raw", "limits", "code"),
    [
        (reply("x" * 5000), Limits(max_bytes=4000), "too_large"),
        (b"X-Pad: " + b"a" * 300_000 + b"\r\n\r\nbody", Limits(), "headers_too_large"),
        (_parts(12), Limits(max_parts=10), "mime_too_many_parts"),
        (deeply_nested(6), Limits(max_depth=4), "mime_too_deep"),
        (deeply_nested(150), Limits(), "mime_too_deep"),
    ],
    ids=["size", "headers", "parts", "depth", "containers"],
)
def test_each_limit_refuses_with_its_reason(raw, limits, code):
    with pytest.raises(Unreadable) as err:
        read_message(raw, limits=limits)
    assert err.value.code == code and err.value.message


def test_a_time_budget_stops_a_slow_read():
    with pytest.raises(Unreadable) as err:
        read_message(reply("bonjour"), clock=_Clock())
    assert err.value.code == "too_slow" and "au-delà de 5 s" in err.value.message


def test_any_parser_failure_is_that_message_s_alone(monkeypatch):
    def boom(_body):
        raise ValueError("broken")

    monkeypatch.setattr(replies, "new_text", boom)
    with pytest.raises(Unreadable) as err:
        read_message(reply("bonjour"))
    assert (err.value.code, err.value.message) == ("unreadable", "illisible : ValueError: broken")


def _content_heavy(parts: int, field: bytes) -> bytes:
    body = b"".join(
        b"--B\r\nContent-Type: text/plain; " + field + b"\r\n\r\nx\r\n" for _ in range(parts)
    )
    return (
        b"From: compta@sonatel.example.dz\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + body + b"--B--\r\n"
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # the structured header parser: 8 s on this From: before
        (b"From: " + b"=?utf-8?q?a?= " * 18_000 + b"<a@b.dz>\r\n\r\nhi", "headers_too_large"),
        # Content-* parsed while the tree is read: 2.1 s for one 16 KB field of quoted pairs
        (b"From: a@b.dz\r\nContent-Type: text/plain; " + b'a="\\\\\\"' * 3000, "headers_too_large"),
        # many parts each below the field limit: the sum is bounded
        (_content_heavy(150, b"a=b; " * 300), "headers_too_large"),
        # html.parser: 197 s on 200 KB of unclosed tags before
        (
            b"From: a@b.dz\r\nContent-Type: text/html\r\n\r\n<p>ok</p>" + b"<p a=" * 40_000,
            None,
        ),
        (b"From: a@b.dz\r\nContent-Type: text/html\r\n\r\n<p>ok</p>" + b"<!--" * 50_000, None),
        # the most the limits let through: 199 parts with Content-* fields up to the total
        (_content_heavy(199, b"a=b; " * 60), None),
    ],
    ids=[
        "from-encoded-words",
        "content-type-quoted",
        "content-sum",
        "html-tags",
        "html-comments",
        "at-the-limits",
    ],
)
def test_inputs_that_were_slow_are_refused_or_read_quickly(raw, code):
    # CPU time of this process: what the parser costs, whatever else the machine runs (these
    # inputs took minutes before their limits; a loaded CI machine must not fail them)
    started = time.process_time()
    try:
        got = read_message(raw)
    except Unreadable as err:
        assert err.code == code
    else:
        assert code is None
        assert got.text in ("ok", "x")
    # the slowest of them, at the limits, costs 1 to 3 s of CPU here; they cost minutes before
    assert time.process_time() - started < 10


def test_a_multipart_related_without_parts_is_still_read():
    """Found by the fuzz target: the standard library's get_body raises AttributeError
    ('str' object has no attribute 'is_attachment') on this tree."""
    raw = (
        b"From: compta@sonatel.example.dz\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: multipart/related\r\n\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nNous paierons F2026-0001 le 30/12/2026.\r\n"
        b"--b--\r\n"
    )
    with pytest.raises(AttributeError):
        message_from_bytes(raw, policy=policy.default).get_body(preferencelist=("plain", "html"))
    assert read_message(raw).text == "Nous paierons F2026-0001 le 30/12/2026."


def test_unclosed_blockquotes_are_read_in_linear_time():
    # the former regex (<blockquote>.*?</blockquote>) took 18 s on this 240 KB body
    html = "<p>Nous paierons F2026-0001 le 30/12/2026.</p>" + "<blockquote>x" * 20_000
    started = time.monotonic()
    got = read_message(reply("", html=html))
    assert time.monotonic() - started < 2
    assert got.text == "Nous paierons F2026-0001 le 30/12/2026."


def test_an_oversized_file_is_moved_whole_not_read_whole(ledger, home, tmp_path):
    big = reply("x" * 50_000)
    (home.replies / "big.eml").write_bytes(big)
    kept = Quarantine(tmp_path / "q")
    with ledger.session() as s:
        report = replies.ingest_replies(
            s, limits=Limits(max_bytes=10_000), quarantine=kept, today=AS_OF, trusted=()
        )
    (q,) = report.quarantined
    assert q.code == "too_large"
    assert (kept.folder / f"{q.sha256}.eml").read_bytes() == big  # the whole file, moved
    assert not (home.replies / "big.eml").exists()


def test_khazna_run_twice_with_the_bad_reply_in_the_folder(tmp_path, home, capsys, monkeypatch):
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "owner@atlas.example.dz")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    (home.replies / "deep.eml").write_bytes(deeply_nested(1000))
    (home.replies / "good.eml").write_bytes(reply("Le montant de F2026-0001 est contesté."))

    first = _run_json(db, capsys)
    (q,) = first["replies"]["quarantined"]
    assert (q["source"], q["code"]) == ("deep.eml", "mime_too_deep")
    assert len(first["replies"]["added"]) == 1  # the good reply behind it was read
    kept = Quarantine.for_replies()
    assert q["file"] == str(kept.folder / f"{q['sha256']}.eml")
    assert (kept.folder / f"{q['sha256']}.eml").read_bytes() == deeply_nested(1000)
    why = (kept.folder / f"{q['sha256']}.txt").read_text(encoding="utf-8")
    assert "Origine : deep.eml" in why and "Raison : mime_too_deep" in why
    assert not (home.replies / "deep.eml").exists()
    (alert,) = [a for a in first["alerts"] if a["kind"] == "reply_quarantined"]
    assert alert["mail_state"] == "sent" and alert["sent_to"] == ["owner@atlas.example.dz"]

    # the owner sees it in the plain output too
    assert main(["run", "--db", db, "--as-of", AS_OF.isoformat(), "--no-send"]) == 0
    second = _run_json(db, capsys)
    assert second["replies"]["quarantined"] == []
    assert not [a for a in second["alerts"] if a["kind"] == "reply_quarantined"]
    mails = [
        message_from_bytes(p.read_bytes(), policy=policy.default) for p in home.outbox.glob("*.eml")
    ]
    told = [m for m in mails if "quarantaine" in str(m["Subject"])]
    assert len(told) == 1  # told once, over three runs


def test_khazna_run_twice_with_the_bad_reply_still_in_imap(tmp_path, capsys, monkeypatch):
    """The mailbox is read read-only: the message stays there for 30 days. It is copied to
    the quarantine once, then recognised by its SHA-256 and skipped."""
    for k, v in {
        "KHAZNA_IMAP_HOST": "imap.atlas.example.dz",
        "KHAZNA_IMAP_USER": "gerance",
        "KHAZNA_IMAP_PASSWORD": "x",
    }.items():
        monkeypatch.setenv(k, v)
    seen: list[date] = []

    def mailbox(settings, *, since):
        seen.append(since)
        return [("imap:INBOX:7", deeply_nested(1000)), ("imap:INBOX:8", reply(FORGED))]

    monkeypatch.setattr(replies, "fetch_imap", mailbox)
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    first = _run_json(db, capsys)
    second = _run_json(db, capsys)
    assert [q["source"] for q in first["replies"]["quarantined"]] == ["imap:INBOX:7"]
    assert second["replies"]["quarantined"] == []
    assert second["replies"]["already_quarantined"] == 1
    assert (second["replies"]["already"], second["replies"]["added"]) == (1, [])
    assert seen == [date(2026, 3, 1)] * 2


# --- part 3: a reply is evidence, not authority -----------------------------------------------


def test_a_forged_promise_pauses_no_formal_notice(ledger, home, monkeypatch, capsys):
    """The attack of the issue: a forged From: promising everything for the 30/12."""
    monkeypatch.setenv("KHAZNA_TRUSTED_AUTHSERV", TRUSTED)
    (home.replies / "forged.eml").write_bytes(reply(FORGED))
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(home.outbox))
    out = run_cycle(deps, AS_OF, send_report=False)
    (iid,) = out["replies"]["added"]
    assert out["replies"]["unconfirmed"] == {iid: "sender_not_authenticated"}
    assert ("F2026-0001", "promise") not in {
        (k["number"], k["reason"]) for k in out["skipped_reminders"]
    }
    (draft,) = [d for d in out["drafts"] if d["client_id"] == "C01"]
    assert draft["level"] == 3  # the formal notice is drafted
    view = get_draft(deps, draft["draft_id"])
    assert view.notes == [
        "le client dit avoir promis de payer le 30/12/2026 — à confirmer "
        f"(expéditeur non authentifié ; message {iid} du 10/03/2026)"
    ]
    assert "30/12/2026" not in view.detailed  # evidence for the owner, not words for the client

    capsys.readouterr()
    db = str(ledger.url)
    assert main(["inbox", "show", draft["draft_id"], "--db", db]) == 0
    assert "À vérifier : le client dit avoir promis de payer le 30/12/2026" in (
        capsys.readouterr().out
    )
    assert main(["inbox", "show", draft["draft_id"], "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == view.notes

    app = create_app(db, secret="s" * 40, limiter=LoginLimiter(3, 60))
    with ledger.session() as s:
        add_user(s, OWNER[0], "owner", OWNER[1])
    with TestClient(app) as web:
        login(web, OWNER)
        page = web.get(f"/drafts/{draft['draft_id']}").text
    app.state.ledger.dispose()
    assert "À confirmer avant de décider" in page
    assert "le client dit avoir promis de payer le 30/12/2026" in page


def test_a_forged_promise_read_while_the_notice_waits_is_shown_on_it(ledger, home):
    """The notice was drafted first; the forged promise comes in while it waits for the
    owner: it pauses nothing and the waiting draft shows it (CLI, JSON, web read one view)."""
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(home.outbox))
    out = run_cycle(deps, AS_OF, send_report=False)
    (draft,) = [d for d in out["drafts"] if d["client_id"] == "C01"]
    assert get_draft(deps, draft["draft_id"]).notes == []
    with ledger.session() as s:
        report = ingest_messages(s, [("forged.eml", reply(FORGED))], today=AS_OF, trusted=())
    (iid,) = report.added
    view = get_draft(deps, draft["draft_id"])
    assert view.status == "pending_approval" and view.level == 3
    assert view.notes == [
        "le client dit avoir promis de payer le 30/12/2026 — à confirmer "
        f"(expéditeur non authentifié ; message {iid} du 10/03/2026)"
    ]
    decide(deps, draft["draft_id"], Decision(action="reject", reason="vu la note", by="gerant"))
    assert get_draft(deps, draft["draft_id"]).notes == []  # decided: the note of its time only


def _ingest(ledger, raw: bytes, trusted=(TRUSTED,)):
    with ledger.session() as s:
        report = ingest_messages(s, [("r.eml", raw)], today=AS_OF, trusted=trusted)
    (iid,) = report.added
    with ledger.read() as s:
        return iid, s.get(Interaction, iid).unconfirmed


FAKE_PROMISE = "Nous paierons la facture F2026-0001 le 30/12/2026."


@pytest.mark.parametrize(
    ("auth", "trusted"),
    [
        ([], (TRUSTED,)),
        ([passing(server="mx.attacker.example")], (TRUSTED,)),  # a server nobody trusts
        ([passing()], ()),  # KHAZNA_TRUSTED_AUTHSERV not set
        (  # the sender's own copy lies below the real verdict of the trusted server
            [
                f"{TRUSTED}; dkim=none; spf=softfail smtp.mailfrom=a@attacker.example; "
                "dmarc=fail header.from=sonatel.example.dz",
                passing(),
            ],
            (TRUSTED,),
        ),
        ([passing(domain="attacker.example")], (TRUSTED,)),  # a pass for another domain
        (  # results hidden in a comment are no results
            [f"{TRUSTED} (dkim=pass header.d=sonatel.example.dz); dkim=fail"],
            (TRUSTED,),
        ),
    ],
    ids=["none", "untrusted-server", "no-setting", "forged-below", "other-domain", "comment"],
)
def test_a_forged_or_foreign_verdict_authenticates_nothing(ledger, auth, trusted):
    raw = reply(FAKE_PROMISE, auth=auth)
    assert not read_message(raw, trusted=trusted).auth.authenticated
    iid, unconfirmed = _ingest(ledger, raw, trusted)
    assert unconfirmed == "sender_not_authenticated"
    with ledger.read() as s:
        st = client_states(s, AS_OF)["C01"]
    assert st.pending_promise("F2026-0001", AS_OF) is None
    assert [c.interaction_id for c in st.open_claims(["F2026-0001"], AS_OF)] == [iid]


def test_an_authenticated_promise_naming_the_clients_invoice_pauses(ledger, home, monkeypatch):
    monkeypatch.setenv("KHAZNA_TRUSTED_AUTHSERV", TRUSTED)
    (home.replies / "r.eml").write_bytes(reply(FAKE_PROMISE, auth=[passing()]))
    out = run_cycle(AgentDeps(ledger=ledger), AS_OF, send_report=False)
    assert out["replies"]["unconfirmed"] == {}
    assert ("F2026-0001", "promise") in {
        (k["number"], k["reason"]) for k in out["skipped_reminders"]
    }
    assert not [d for d in out["drafts"] if d["client_id"] == "C01"]


@pytest.mark.parametrize("how", ["dkim", "spf", "dmarc"])
def test_each_aligned_pass_authenticates(how):
    value = {
        "dkim": f"{TRUSTED}; dkim=pass header.d=mail.sonatel.example.dz",
        "spf": f"{TRUSTED}; spf=pass smtp.mailfrom=bounce@sonatel.example.dz",
        "dmarc": f"{TRUSTED}; dmarc=pass (p=reject) header.from=sonatel.example.dz",
    }[how]
    got = sender_auth([value], "compta@sonatel.example.dz", {TRUSTED})
    assert (got.authenticated, got.method, got.by) == (True, how, TRUSTED)


def test_an_authenticated_reply_naming_another_clients_invoice_is_a_note(ledger):
    # F2026-0002 is Laiterie Tell's (C02), not Sonatel's
    raw = reply("Nous paierons la facture F2026-0002 le 30/12/2026.", auth=[passing()])
    iid, unconfirmed = _ingest(ledger, raw)
    assert unconfirmed == "no_invoice_of_client"
    out = run_cycle(AgentDeps(ledger=ledger), AS_OF, send_report=False)
    (draft,) = [d for d in out["drafts"] if d["client_id"] == "C01"]
    (note,) = get_draft(AgentDeps(ledger=ledger), draft["draft_id"]).notes
    assert note.startswith("le client dit avoir promis de payer le 30/12/2026 (F2026-0002)")
    assert "ne cite aucune facture de ce client" in note


def test_an_authenticated_stranger_answering_our_reminder_is_a_note(ledger, home):
    deps = AgentDeps(ledger=ledger, transport=FileOutbox(home.outbox))
    first = run_cycle(deps, date(2026, 2, 15), send_report=False)
    (draft,) = [d for d in first["drafts"] if d["client_id"] == "C01"]
    sent = decide(deps, draft["draft_id"], Decision(action="approve"))
    raw = reply(
        "Nous réglerons le solde le 30/12/2026.",
        sender="boss@attacker.example",
        auth=[passing(domain="attacker.example")],
        in_reply_to=sent.message_id,
    )
    assert read_message(raw, trusted={TRUSTED}).auth.authenticated
    _iid, unconfirmed = _ingest(ledger, raw)
    assert unconfirmed == "sender_not_client"
    # the client's own colleague, authenticated, answering our reminder: it counts
    colleague = reply(
        "Nous réglerons le solde le 30/12/2026.",
        sender="tresorerie@sonatel.example.dz",
        message_id="<r2@sonatel.example.dz>",
        auth=[passing()],
        in_reply_to=sent.message_id,
    )
    _iid, unconfirmed = _ingest(ledger, colleague)
    assert unconfirmed == ""


def test_the_owner_confirms_a_claim_and_then_it_pauses(ledger, capsys):
    iid, _ = _ingest(ledger, reply(FORGED))
    with ledger.read() as s:
        assert client_states(s, AS_OF)["C01"].pending_promise("F2026-0001", AS_OF) is None
    db = str(ledger.url)
    capsys.readouterr()
    assert main(["replies", "list", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [
        (r["interaction_id"], r["kind"], r["promised_date"]) for r in listed["unconfirmed"]
    ] == [(iid, "promise", "2026-12-30")]
    assert main(["replies", "confirm", iid, "--db", db]) == 0
    assert "confirmé" in capsys.readouterr().out
    with ledger.read() as s:
        st = client_states(s, AS_OF)["C01"]
    assert st.pending_promise("F2026-0001", AS_OF).interaction_id == iid
    assert st.claims == []
    assert main(["replies", "confirm", iid, "--db", db]) == 1  # nothing left to confirm
    assert "n'attend pas de confirmation" in capsys.readouterr().err


def test_unconfirmed_round_trips_through_the_bundle(db_url, another_db_url, tmp_path):
    one = Ledger(db_url)
    import_bundle(one, write_bundle(tmp_path / "b"))
    iid, _ = _ingest(one, reply(FORGED))
    export_bundle(one, tmp_path / "out")
    with (tmp_path / "out" / "interactions.csv").open(encoding="utf-8") as f:
        rows = {r["interaction_id"]: r for r in csv.DictReader(f)}
    assert rows[iid]["unconfirmed"] == "sender_not_authenticated"
    two = Ledger(another_db_url)
    import_bundle(two, tmp_path / "out")
    with two.read() as s:
        assert s.get(Interaction, iid).unconfirmed == "sender_not_authenticated"
        assert client_states(s, AS_OF)["C01"].pending_promise("F2026-0001", AS_OF) is None
    one.dispose()
    two.dispose()


def test_replies_read_before_the_check_become_unconfirmed(db_url):
    """Migration 0006: replies already in the ledger were never authenticated."""
    from alembic import command

    engine = create_engine(db_url)
    command.upgrade(alembic_config(engine), "0005")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO clients (client_id, name, kind, email, phone, language,"
                " payment_terms_days, nif, nis, rc, ai, address) VALUES ('C01', 'S', "
                "'pme', '', '', 'fr', 30, '', '', '', '', '')"
            )
        )
        for iid, channel in (("R-abc", "email"), ("I-1", "email"), ("R-phone", "phone")):
            c.execute(
                text(
                    "INSERT INTO interactions (interaction_id, client_id, date, channel,"
                    " direction, kind, text) VALUES (:i, 'C01', '2026-03-10', :c, 'in', "
                    "'promise', 'nous paierons le 30/12/2026')"
                ),
                {"i": iid, "c": channel},
            )
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as c:
        got = dict(c.execute(text("SELECT interaction_id, unconfirmed FROM interactions")).all())
    engine.dispose()
    assert got == {"R-abc": "sender_not_authenticated", "I-1": "", "R-phone": ""}
