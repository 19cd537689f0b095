"""Reminders on WhatsApp and SMS: the client's channel and the draft's override, the wa.me
click-to-chat link (marked sent by hand, never delivered), and the WhatsApp Cloud API / SMS
gateway transports on the outbox's exactly-once protocol — against a real local HTTP server."""

from __future__ import annotations

import base64
import json
import socket
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from khazna.agents.approval.state import Decision
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.inbox import InboxError, decide, get_draft, mark_sent, set_channel
from khazna.cli import main
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Client
from khazna.ledger.tables_mail import MailMessage
from khazna.mail.messaging import (
    SmsSettings,
    SmsTransport,
    WhatsAppSettings,
    WhatsAppTransport,
    text_part,
)
from khazna.mail.outbox import deliver_due_now, enqueue_payload, reconcile
from khazna.mail.phone import international, wa_me_link
from khazna.mail.transport import FileOutbox
from tests.bundles import write_bundle
from tests.whatsapp_server import CloudApi

AS_OF = date(2026, 3, 31)
DRAFT = "D20260331-C01-L3"
PHONE = "0555 12 34 56"
WA = "213555123456"


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'l.db'}"


def _drafted(tmp_path: Path, channel: str = "whatsapp", **transports) -> AgentDeps:
    ledger = Ledger(_db(tmp_path))
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    with ledger.session() as s:
        c = s.get(Client, "C01")
        assert c is not None and c.channel == "email"  # the default
        c.phone = PHONE
        c.channel = channel
    deps = AgentDeps(
        ledger=ledger, transport=FileOutbox(tmp_path / "outbox"), channel_transports=transports
    )
    out = build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "t"}, {"configurable": {"deps": deps}}
    )
    assert [d["draft_id"] for d in out["drafts"]] == [DRAFT]
    return deps


def _wa(api: CloudApi) -> WhatsAppTransport:
    return WhatsAppTransport(
        WhatsAppSettings(token=api.token, phone_number_id="1234567890", api_base=api.base)
    )


def _rows(deps: AgentDeps) -> list[MailMessage]:
    with deps.ledger.read() as s:
        rows = list(s.scalars(select(MailMessage).order_by(MailMessage.id)))
        s.expunge_all()
        return rows


def _cli(capsys, *argv: str) -> tuple[int, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out + out.err


def test_algerian_numbers_take_their_international_form():
    for written in ("0555 12 34 56", "+213 555 12 34 56", "00213555123456", "213-555-12-34-56"):
        assert international(written) == WA
    assert international("+213 23 54 18 70") == "21323541870"  # a landline, 8 digits
    assert international("") == international("n/a") == international("12") == ""
    link = wa_me_link(PHONE, "Facture F2026-0001 : 69 000,00 DA & merci")
    assert link == f"https://wa.me/{WA}?text=" + quote(
        "Facture F2026-0001 : 69 000,00 DA & merci", safe=""
    )
    assert "%26" in link and " " not in link


def test_the_client_channel_is_set_from_the_cli_and_needs_a_phone(tmp_path, capsys):
    db = _db(tmp_path)
    import_bundle(Ledger(db), write_bundle(tmp_path / "b"))
    rc, out = _cli(capsys, "client", "set-channel", "C01", "whatsapp", "--db", db)
    assert rc != 0 and "téléphone" in out  # C01 has no phone in the bundle
    rc, out = _cli(capsys, "client", "show", "C01", "--db", db, "--json")
    assert json.loads(out)["channel"] == "email"
    with Ledger(db).session() as s:
        s.get(Client, "C01").phone = PHONE
    rc, out = _cli(capsys, "client", "set-channel", "C01", "whatsapp", "--db", db)
    assert rc == 0 and "whatsapp" in out
    rc, out = _cli(capsys, "client", "show", "C01", "--db", db, "--json")
    shown = json.loads(out)
    assert shown["channel"] == "whatsapp" and shown["phone_international"] == WA


def test_click_to_chat_after_approval_then_marked_sent_by_hand(tmp_path, capsys):
    deps = _drafted(tmp_path)  # no WhatsApp API configured
    db = _db(tmp_path)
    before = get_draft(deps, DRAFT)
    assert before.channel == "whatsapp" and before.wa_link == ""  # nothing before approval
    assert before.phone == WA  # the message goes to the phone, not to the email address
    rc, out = _cli(capsys, "inbox", "show", DRAFT, "--db", db)
    assert f"à : +{WA} (whatsapp)" in out.splitlines()[0]
    with pytest.raises(InboxError, match="pas approuvée"):
        mark_sent(deps, DRAFT)
    rc, out = _cli(capsys, "inbox", "approve", DRAFT, "--db", db, "--yes")
    assert rc == 0
    d = get_draft(deps, DRAFT)
    assert d.status == "approved" and d.message_id == ""
    assert d.wa_link == f"https://wa.me/{WA}?text=" + quote(d.short, safe="")
    assert d.wa_link in out and f"khazna inbox mark-sent {DRAFT}" in out
    assert "version=short" in d.decision_note  # the short text is what was approved
    assert _rows(deps) == []  # nothing in the outbox, nothing left
    assert not (tmp_path / "outbox").exists()
    rc, out = _cli(capsys, "inbox", "show", DRAFT, "--db", db)
    assert d.wa_link in out
    rc, out = _cli(capsys, "inbox", "mark-sent", DRAFT, "--db", db, "--by", "gerant")
    assert rc == 0 and "marquée envoyée à la main" in out
    d = get_draft(deps, DRAFT)
    assert d.status == "sent" and d.sent_by_hand
    assert d.delivery is None and d.mail_state is None  # never recorded as delivered
    assert "marquée envoyée à la main par gerant" in d.decision_note
    assert "non confirmée comme remise" in d.delivery_note
    with pytest.raises(InboxError):
        mark_sent(deps, DRAFT)  # once


def test_a_draft_overrides_its_clients_channel_before_approval(tmp_path, capsys):
    deps = _drafted(tmp_path, channel="email")
    assert get_draft(deps, DRAFT).channel == "email"
    assert set_channel(deps, DRAFT, "whatsapp").channel == "whatsapp"
    rc, out = _cli(capsys, "inbox", "set-channel", DRAFT, "client", "--db", _db(tmp_path))
    assert rc == 0 and get_draft(deps, DRAFT).channel == "email"
    set_channel(deps, DRAFT, "whatsapp")
    decide(deps, DRAFT, Decision(action="approve"))
    with pytest.raises(InboxError, match="ne change plus"):
        set_channel(deps, DRAFT, "email")


def _client_wrote(deps: AgentDeps, hours_ago: float) -> None:
    """C01 wrote to us on WhatsApp ``hours_ago`` hours ago (what the webhook records)."""
    from datetime import timedelta

    from khazna.ledger.models import Interaction

    at = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=hours_ago)
    with deps.ledger.session() as s:
        s.add(Interaction(interaction_id=f"WA-{hours_ago}", client_id="C01", date=at.date(),
                          channel="whatsapp", direction="in", text="Bonjour", at=at))  # fmt: skip


def test_whatsapp_api_sends_the_short_text_and_the_invoice_as_a_document(tmp_path):
    with CloudApi() as api:
        deps = _drafted(tmp_path, whatsapp=_wa(api))
        _client_wrote(deps, hours_ago=3)  # inside the 24-hour window: free text allowed
        assert get_draft(deps, DRAFT).wa_template == ""
        assert api.seen == []  # drafted: nothing sent
        d = decide(deps, DRAFT, Decision(action="approve", by="gerant"))
        assert d.status == "sent" and d.delivery == "whatsapp"
        assert "accepté" in d.delivery_note and "remise n'est pas confirmée" in d.delivery_note
        text, document = api.messages()
        assert text == {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": WA,
            "type": "text",
            "text": {"preview_url": False, "body": d.short},
        }
        assert all(s.path.startswith("/v21.0/1234567890/") for s in api.seen)
        (upload,) = [s for s in api.seen if s.path.endswith("/media")]
        assert upload.form == {"messaging_product": "whatsapp", "type": "application/pdf"}
        filename, ctype, content = upload.files["file"]
        assert filename == "F2026-0001.pdf" and content.startswith(b"%PDF")
        assert document["type"] == "document" and document["to"] == WA
        assert document["document"]["filename"] == "F2026-0001.pdf"
        assert document["document"]["id"].startswith("MEDIA")
        rows = _rows(deps)
        assert [r.channel for r in rows] == ["whatsapp", "whatsapp"]
        assert [r.idempotency_key for r in rows] == [
            f"reminder:{DRAFT}",
            f"reminder:{DRAFT}:doc:F2026-0001",
        ]
        assert all(r.state == "sent" and r.server_reply.startswith("whatsapp wamid.") for r in rows)
        assert d.message_id == rows[0].message_id
        n = len(api.seen)
        with pytest.raises(InboxError, match="déjà envoyée"):
            decide(deps, DRAFT, Decision(action="approve"))
        deliver_due_now(deps.ledger.session, _wa(api))
        assert len(api.seen) == n  # nothing twice


def test_an_api_error_fails_the_draft_with_the_apis_reason(tmp_path):
    with CloudApi() as api:
        api.fail_to[WA] = (
            400,
            {
                "error": {
                    "message": "(#131030) Recipient phone number not in allowed list",
                    "type": "OAuthException",
                    "code": 131030,
                    "fbtrace_id": "Ax1",
                }
            },
        )
        deps = _drafted(tmp_path, whatsapp=_wa(api))
        d = decide(deps, DRAFT, Decision(action="approve"))
        assert d.status == "failed"
        assert "131030" in d.decision_note and "not in allowed list" in d.decision_note
        text_row = _rows(deps)[0]
        assert text_row.state == "failed" and "HTTP 400" in text_row.last_error


def test_a_wrong_token_is_refused_and_nothing_is_retried_on_its_own(tmp_path):
    with CloudApi(token="RIGHT") as api:
        wrong = WhatsAppTransport(
            WhatsAppSettings(token="WRONG", phone_number_id="1234567890", api_base=api.base)
        )
        deps = _drafted(tmp_path, whatsapp=wrong)
        d = decide(deps, DRAFT, Decision(action="approve"))
        assert d.status == "failed" and "401" in d.decision_note


def _one_text(tmp_path: Path) -> tuple[Ledger, str]:
    ledger = Ledger(_db(tmp_path))
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    with ledger.session() as s:
        row = enqueue_payload(
            s,
            text_part(WA, "Rappel : F2026-0001", reference="k1"),
            channel="whatsapp",
            kind="reminder",
            idempotency_key="k1",
            to=WA,
        )
        return ledger, row.message_id


def test_a_crash_after_the_api_took_the_message_never_resends_it(tmp_path):
    ledger, _ = _one_text(tmp_path)
    with CloudApi() as api:

        def crash(pk, result):
            raise SystemExit("power cut")  # after the API answered, before the record

        with pytest.raises(SystemExit):
            deliver_due_now(ledger.session, _wa(api), after_send_hook=crash)
        assert len(api.messages()) == 1
        with ledger.read() as s:
            assert s.scalar(select(MailMessage.state)) == "sending"
        later = datetime(2100, 1, 1, tzinfo=UTC)
        (out,) = reconcile(ledger.session, _wa(api), later)
        assert out.state == "unconfirmed"  # the owner decides; never resent on its own
        deliver_due_now(ledger.session, _wa(api), later)
        assert len(api.messages()) == 1
        # an email transport never takes a WhatsApp row
        deliver_due_now(ledger.session, FileOutbox(tmp_path / "outbox"), later)
        assert not (tmp_path / "outbox").exists()


def test_a_server_error_is_uncertain_and_a_refused_connection_is_retried(tmp_path):
    ledger, _ = _one_text(tmp_path)
    with CloudApi() as api:
        api.fail_to[WA] = (500, {"error": {"message": "An unknown error occurred", "code": 1}})
        (out,) = deliver_due_now(ledger.session, _wa(api))
        assert out.state == "unconfirmed" and "HTTP 500" in out.error
    ledger2, _ = _one_text(tmp_path / "second")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = WhatsAppTransport(
        WhatsAppSettings(token="t", phone_number_id="1", api_base=f"http://127.0.0.1:{port}")
    )
    (out,) = deliver_due_now(ledger2.session, dead)
    assert out.state == "pending" and out.next_attempt_at is not None  # nothing reached anyone


def test_sms_gateway_sends_the_short_text_once(tmp_path):
    with CloudApi() as api:
        sms = SmsTransport(SmsSettings(url=f"{api.base}/sms", token=api.token, sender="ATLAS"))
        deps = _drafted(tmp_path, channel="sms", sms=sms)
        d = decide(deps, DRAFT, Decision(action="approve"))
        assert d.status == "sent" and d.delivery == "sms"
        (req,) = api.seen
        assert req.path == "/sms"
        assert req.json == {
            "to": "+" + WA,
            "from": "ATLAS",
            "text": d.short,
            "reference": f"reminder:{DRAFT}",
        }
        assert req.headers["idempotency-key"] == f"reminder:{DRAFT}"
        deliver_due_now(deps.ledger.session, sms)
        assert len(api.seen) == 1


def test_the_whatsapp_transport_is_built_from_the_settings(monkeypatch):
    from khazna.mail.messaging import channel_transport_from_env

    assert channel_transport_from_env("whatsapp", {}) is None
    t = channel_transport_from_env(
        "whatsapp",
        {
            "KHAZNA_WHATSAPP_TOKEN": "tok",
            "KHAZNA_WHATSAPP_PHONE_NUMBER_ID": "42",
            "KHAZNA_WHATSAPP_API_BASE": "http://127.0.0.1:9/",
        },
    )
    assert isinstance(t, WhatsAppTransport)
    assert t.settings.url("messages") == "http://127.0.0.1:9/v21.0/42/messages"
    assert "tok" not in repr(t.settings)
    assert base64  # noqa: B018 - imported for document payload checks


def test_outside_the_24_hour_window_only_the_approved_template_leaves(
    tmp_path, capsys, monkeypatch
):
    """The client last wrote 30 hours ago: the Cloud API would refuse a free text, so the
    draft says so before approval and shows the template's filled text, and what leaves is
    that template (name, language, parameters from the facts), without the documents."""
    with CloudApi() as api:
        deps = _drafted(tmp_path, whatsapp=_wa(api))
        _client_wrote(deps, hours_ago=30)
        shown = get_draft(deps, DRAFT).wa_template
        assert shown.startswith("Bonjour, Atlas Services vous rappelle que la facture F2026-0001")
        assert "57 100,00 DA" in shown.replace("\u202f", " ")
        # the CLI finds the API in the environment, as the owner configures it
        monkeypatch.setenv("KHAZNA_WHATSAPP_TOKEN", api.token)
        monkeypatch.setenv("KHAZNA_WHATSAPP_PHONE_NUMBER_ID", "1234567890")
        monkeypatch.setenv("KHAZNA_WHATSAPP_API_BASE", api.base)
        assert main(["inbox", "show", DRAFT, "--db", _db(tmp_path)]) == 0
        assert "Hors de la fenêtre de 24 h" in capsys.readouterr().out
        d = decide(deps, DRAFT, Decision(action="approve", by="gerant"))
        assert d.status == "sent"
        (msg,) = api.messages()
        assert msg["type"] == "template" and msg["to"] == WA
        template = msg["template"]
        assert template["name"] == "khazna_relance" and template["language"] == {"code": "fr"}
        params = [p["text"] for p in template["components"][0]["parameters"]]
        assert params[0] == "Atlas Services" and params[1] == "la facture F2026-0001"
        assert params[2].replace("\u202f", " ") == "57 100,00 DA"
        assert not [s for s in api.seen if s.path.endswith("/media")]
        assert [r.idempotency_key for r in _rows(deps)] == [f"reminder:{DRAFT}"]


def test_without_the_api_the_24_hour_window_is_not_mentioned(tmp_path, capsys, monkeypatch):
    """No Cloud API: the owner sends with the wa.me link from his own phone, which the window
    does not bind; the draft does not announce a template « the API » would send."""
    monkeypatch.delenv("KHAZNA_WHATSAPP_TOKEN", raising=False)
    monkeypatch.delenv("KHAZNA_WHATSAPP_PHONE_NUMBER_ID", raising=False)
    deps = _drafted(tmp_path)
    _client_wrote(deps, hours_ago=30)
    assert deps.channel_transport("whatsapp") is None
    assert get_draft(deps, DRAFT).wa_template == ""
    decide(deps, DRAFT, Decision(action="approve", by="gerant"))
    capsys.readouterr()
    assert main(["inbox", "show", DRAFT, "--db", _db(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "https://wa.me/" in out and "Hors de la fenêtre de 24 h" not in out
