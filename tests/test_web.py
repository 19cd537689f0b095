"""The web app through FastAPI's TestClient: sessions, roles, CSRF, the approval flows, escaping."""

from __future__ import annotations

import email
import html
import os
import re
from datetime import date, datetime
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from khazna.agents.deps import AgentDeps
from khazna.agents.inbox import get_draft
from khazna.ledger.tables_agents import Draft
from khazna.money import format_dzd
from khazna.web.app import create_app
from khazna.web.throttle import LoginLimiter
from tests.web_helpers import (
    ACCOUNTANT,
    DRAFT_ID,
    OWNER,
    add_draft,
    csrf_of,
    ledger_with_draft,
    login,
)

PAGES = [
    "/",
    "/inbox",
    f"/drafts/{DRAFT_ID}",
    "/dashboard",
    "/questions",
    "/invoices/F2026-0001",
    "/invoices/F2026-0001/pdf",
    "/clients/C01",
    "/exports",
    "/exports/bundle.zip",
    "/exports/journal?date_from=2026-01-01&date_to=2026-03-31",
    "/outbox",
    "/settings",
]


@pytest.fixture
def web(tmp_path):
    url, ledger = ledger_with_draft(tmp_path)
    app = create_app(url, secret="s" * 40, limiter=LoginLimiter(max_failures=3, window=60))
    with TestClient(app) as client:
        client.ledger = ledger
        yield client
    ledger.dispose()
    app.state.ledger.dispose()


def status_of(web, draft_id: str = DRAFT_ID) -> str:
    return get_draft(AgentDeps(ledger=web.ledger), draft_id).status


def outbox_messages() -> list:
    folder = Path(os.environ["KHAZNA_HOME"]) / "outbox"
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


def body_text(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


# --------------------------------------------------------------------------- sessions


def test_every_page_needs_a_session(web):
    for path in PAGES:
        r = web.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login"), path
    r = web.get("/dashboard?as_of=2026-03-31", follow_redirects=False)
    assert r.headers["location"] == "/login?next=/dashboard%3Fas_of%3D2026-03-31"
    for action in ("approve", "edit", "reject"):
        r = web.post(f"/drafts/{DRAFT_ID}/{action}", data={}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    assert status_of(web) == "pending_approval"
    assert web.get("/login").status_code == 200


def test_login_then_pages_then_logout(web):
    r = login(web, OWNER)
    assert r.status_code == 303 and r.headers["location"] == "/"
    for path in PAGES:
        assert web.get(path).status_code == 200, path
    pdf = web.get("/invoices/F2026-0001/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="F2026-0001.pdf"' in pdf.headers["content-disposition"]
    token = csrf_of(web, "/inbox")
    web.post("/logout", data={"csrf": token})
    assert web.get("/inbox", follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_user(web):
    r = login(web, (OWNER[0], "not-the-password"))
    assert r.status_code == 401
    assert "incorrect" in r.text
    r = login(web, ("nobody", "whatever-123"))
    assert r.status_code == 401
    assert web.get("/inbox", follow_redirects=False).status_code == 303


def test_login_is_rate_limited(web):
    for _ in range(3):
        assert login(web, (OWNER[0], "bad-password")).status_code == 401
    r = login(web, OWNER)  # right password, but too many failures just before
    assert r.status_code == 429
    assert web.get("/inbox", follow_redirects=False).status_code == 303
    assert login(web, ACCOUNTANT).status_code == 303  # another user is not locked out


def test_login_redirects_only_to_this_site(web):
    token = csrf_of(web, "/login")
    data = {"csrf": token, "username": OWNER[0], "password": OWNER[1]}
    r = web.post("/login", data={**data, "next": "//evil.example/x"}, follow_redirects=False)
    assert r.headers["location"] == "/"


# --------------------------------------------------------------------------- roles and CSRF


def test_accountant_reads_but_cannot_decide(web):
    login(web, ACCOUNTANT)
    page = web.get(f"/drafts/{DRAFT_ID}")
    assert page.status_code == 200
    assert "/approve" not in page.text and "/reject" not in page.text and "/edit" not in page.text
    assert "Seul le gérant" in page.text
    token = csrf_of(web)
    for action, data in [
        ("approve", {"version": "detailed"}),
        ("edit", {"subject": "autre", "short": "x", "detailed": "y"}),
        ("reject", {"reason": "non"}),
    ]:
        r = web.post(f"/drafts/{DRAFT_ID}/{action}", data={"csrf": token, **data})
        assert r.status_code == 403, action
    assert status_of(web) == "pending_approval"
    assert web.get("/exports/bundle.zip").headers["content-type"] == "application/zip"
    r = web.get("/exports/journal?date_from=2026-01-01&date_to=2026-03-31&fmt=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "F2026-0001" in r.content.decode("utf-8-sig")
    r = web.get("/exports/journal?date_from=2026-01-01&date_to=2026-03-31&fmt=xlsx")
    assert r.content.startswith(b"PK")


def test_csrf_missing_or_wrong_is_refused(web):
    login(web, OWNER)
    r = web.post(f"/drafts/{DRAFT_ID}/approve", data={"version": "detailed"})
    assert r.status_code == 403
    r = web.post(f"/drafts/{DRAFT_ID}/approve", data={"version": "detailed", "csrf": "forged"})
    assert r.status_code == 403
    r = web.post(f"/drafts/{DRAFT_ID}/reject", data={"reason": "x", "csrf": ""})
    assert r.status_code == 403
    assert status_of(web) == "pending_approval"
    assert outbox_messages() == []
    # the login form is protected too
    r = web.post("/login", data={"username": OWNER[0], "password": OWNER[1]})
    assert r.status_code == 403


def test_token_of_another_session_is_refused(web, tmp_path):
    login(web, OWNER)
    with TestClient(web.app) as other:
        login(other, ACCOUNTANT)
        foreign = csrf_of(other)
    r = web.post(f"/drafts/{DRAFT_ID}/approve", data={"version": "short", "csrf": foreign})
    assert r.status_code == 403
    assert status_of(web) == "pending_approval"


# --------------------------------------------------------------------------- decisions


def test_approve_sends_the_chosen_version(web):
    login(web, OWNER)
    page = web.get(f"/drafts/{DRAFT_ID}")
    assert "Approuver et envoyer" in page.text
    d = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    r = web.post(f"/drafts/{DRAFT_ID}/approve", data={"version": "short", "csrf": csrf_of(web)})
    # a formal notice (level 3) asks first: nothing is decided or sent on the first click
    assert r.status_code == 200
    assert "Envoyer la mise en demeure à Sonatel SPA (compta@sonatel.example.dz) ?" in r.text
    assert status_of(web) == "pending_approval" and outbox_messages() == []
    r = web.post(
        f"/drafts/{DRAFT_ID}/approve",
        data={"version": "short", "confirm": "1", "csrf": csrf_of(web)},
    )
    # no SMTP server here: the page says the reminder was written, not sent
    said = html.unescape(r.text)
    assert r.status_code == 200
    assert (
        "Relance approuvée et écrite dans la boîte d'envoi locale "
        "(non envoyée : aucun serveur SMTP configuré)." in said
    )
    assert "approuvée et envoyée" not in said
    assert 'data-delivery="file"' in r.text
    assert "écrite dans la boîte d'envoi locale (non envoyée)" in said  # the badge
    after = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert after.status == "sent" and after.delivery == "file"
    assert after.decision_note.startswith("version=short")
    [msg] = outbox_messages()
    assert after.outbox_file.endswith(".eml") and Path(after.outbox_file).exists()
    assert msg["To"] == "compta@sonatel.example.dz"
    assert msg["Subject"] == d.subject
    assert body_text(msg).strip() == d.short.strip()
    inbox = web.get("/inbox").text
    assert "Aucune relance en attente" in inbox
    assert 'class="status sent"' in inbox
    # a second approval has nothing to decide
    r = web.post(f"/drafts/{DRAFT_ID}/approve", data={"version": "short", "csrf": csrf_of(web)})
    assert "déjà" in r.text or "already" in r.text
    assert len(outbox_messages()) == 1


def test_edit_sends_the_edited_text(web):
    login(web, OWNER)
    d = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    new_detailed = d.detailed.replace("Madame, Monsieur,", "Cher Monsieur Benali,", 1)
    assert new_detailed != d.detailed
    r = web.post(
        f"/drafts/{DRAFT_ID}/edit",
        data={
            "csrf": csrf_of(web),
            "subject": d.subject,
            "short": d.short,
            # a browser sends CRLF line ends: the sent text keeps plain newlines
            "detailed": new_detailed.replace("\n", "\r\n"),
            "version": "detailed",
            "confirm": "1",  # the formal notice's confirmation (level 3)
        },
    )
    assert r.status_code == 200
    after = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert after.status == "sent" and after.edited
    assert after.detailed == new_detailed
    [msg] = outbox_messages()
    assert "Cher Monsieur Benali," in body_text(msg)
    assert "Madame, Monsieur," not in body_text(msg).split("\n")[0]


def test_an_edit_that_misstates_an_amount_is_shown_and_sent_only_on_a_second_click(web):
    login(web, OWNER)
    d = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    right = format_dzd(d.total)
    typo = format_dzd(d.total / 10)  # 57 100,00 DA typed as 5 710,00 DA
    assert right in d.detailed
    form = {
        "csrf": csrf_of(web),
        "subject": d.subject,
        "short": d.short,
        "detailed": d.detailed.replace(right, typo),
        "version": "detailed",
        "confirm": "1",
    }
    r = web.post(f"/drafts/{DRAFT_ID}/edit", data=form)
    said = html.unescape(r.text)
    assert r.status_code == 200 and "ne concorde pas avec les faits" in said
    assert f"version détaillée : « {typo} » : montant absent des faits de la relance" in said
    assert right in said  # the facts' amount is shown beside the typo
    assert status_of(web) == "pending_approval" and outbox_messages() == []
    assert typo in said.split("<textarea")[2]  # the edited text is kept in the form
    token = re.search(r'name="force" value="([0-9a-f]+)"', r.text).group(1)

    # a « send anyway » for another text than the one shown counts for nothing
    other = dict(form, detailed=form["detailed"] + "\nF2026-0999", force=token)
    r = web.post(f"/drafts/{DRAFT_ID}/edit", data=other)
    assert "« F2026-0999 » : facture qui n" in html.unescape(r.text)
    assert status_of(web) == "pending_approval" and outbox_messages() == []

    r = web.post(f"/drafts/{DRAFT_ID}/edit", data=dict(form, force=token))
    after = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert after.status == "sent" and after.edited
    assert "contrôle des faits outrepassé par le gérant (amina)" in after.decision_note
    assert typo in after.decision_note
    [msg] = outbox_messages()
    assert typo in body_text(msg)
    assert "outrepassé" in html.unescape(web.get(f"/drafts/{DRAFT_ID}").text)


def test_a_formal_notice_edit_asks_before_it_leaves(web):
    login(web, OWNER)
    d = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert d.level == 3
    edited = d.detailed.replace("Madame, Monsieur,", "Cher Monsieur Benali,", 1)
    form = {"csrf": csrf_of(web), "subject": d.subject, "short": d.short, "detailed": edited}
    r = web.post(f"/drafts/{DRAFT_ID}/edit", data=form)
    said = html.unescape(r.text)
    assert "Envoyer la mise en demeure à Sonatel SPA (compta@sonatel.example.dz) ?" in said
    assert "ne concorde pas" not in said  # the text matches the facts: only the question
    assert "Cher Monsieur Benali," in said
    assert status_of(web) == "pending_approval" and outbox_messages() == []
    web.post(f"/drafts/{DRAFT_ID}/edit", data=dict(form, confirm="1"))
    after = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert after.status == "sent" and "outrepassé" not in after.decision_note
    assert len(outbox_messages()) == 1


def test_edit_without_change_is_refused(web):
    login(web, OWNER)
    d = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    r = web.post(
        f"/drafts/{DRAFT_ID}/edit",
        data={"csrf": csrf_of(web), "subject": d.subject, "short": d.short, "detailed": d.detailed},
    )
    assert "Aucune modification" in r.text
    assert status_of(web) == "pending_approval"


def test_reject_records_the_reason(web):
    login(web, OWNER)
    r = web.post(f"/drafts/{DRAFT_ID}/reject", data={"csrf": csrf_of(web), "reason": "  "})
    assert "raison" in r.text
    assert status_of(web) == "pending_approval"
    r = web.post(
        f"/drafts/{DRAFT_ID}/reject",
        data={"csrf": csrf_of(web), "reason": "Le client a payé en espèces hier"},
    )
    after = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert after.status == "rejected"
    assert after.decision_note == "Le client a payé en espèces hier"
    assert outbox_messages() == []
    assert "Le client a payé en espèces hier" in web.get("/inbox").text


# --------------------------------------------------------------------------- display


def test_client_text_is_escaped(web):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    add_draft(
        web.ledger,
        "DXSS",
        subject="<b>objet</b>",
        citations=[{"id": "I9", "date": "2026-03-02", "kind": "promise", "text": evil}],
        facts={"client_name": "<i>Tell</i>", "invoices": []},
    )
    login(web, OWNER)
    page = web.get("/drafts/DXSS").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;b&gt;objet&lt;/b&gt;" in page
    assert "<i>Tell</i>" not in web.get("/inbox").text
    csp = web.get("/drafts/DXSS").headers["content-security-policy"]
    assert "script-src 'self'" in csp


def test_arabic_draft_is_right_to_left(web):
    add_draft(
        web.ledger,
        "DAR",
        language="ar",
        subject="تذكير بالدفع",
        short="نذكركم بالفاتورة F2026-0002",
        detailed="السادة الكرام،\nنذكركم بالفاتورة F2026-0002",
    )
    add_draft(web.ledger, "DFR", language="fr", short="Rappel court", detailed="Rappel long")
    login(web, OWNER)
    page = web.get("/drafts/DAR").text
    assert page.count('class="draft-text" dir="rtl" lang="ar"') == 2
    assert 'dir="rtl" lang="ar">تذكير بالدفع' in page
    assert 'name="detailed" rows="14" dir="rtl" lang="ar"' in page
    fr = web.get("/drafts/DFR").text
    assert 'dir="rtl"' not in fr.split("<main>")[1]


def test_draft_page_shows_facts_invoices_and_attachments(web):
    login(web, OWNER)
    page = web.get(f"/drafts/{DRAFT_ID}").text
    assert "Sonatel SPA" in page and "compta@sonatel.example.dz" in page
    assert 'href="/invoices/F2026-0001"' in page
    assert format_dzd(Decimal("57100")) in page
    assert "50 j" in page
    assert 'href="/invoices/F2026-0001/pdf"' in page
    assert "Mise en demeure" in page


def test_inbox_pages_by_urgency(web):
    for i in range(60):
        add_draft(
            web.ledger, f"DP{i:03d}", level=1 + i % 3, total=f"{1000 + i}.00", max_days_late=i
        )
    login(web, OWNER)
    first = web.get("/inbox").text
    assert "page 1 / 2" in first
    assert first.count('<tr class="level-') == 50
    # most urgent first: the real level-3 draft (57 100 DA) leads, then level 3 by amount
    rows = [line for line in first.splitlines() if 'href="/drafts/' in line]
    assert "D20260331-C01-L3" in rows[0]
    assert "DP059" in rows[1] and "DP056" in rows[2]
    second = web.get("/inbox?page=2").text
    assert second.count('<tr class="level-') == 11
    assert "DP000" in second.split("Décisions récentes")[0]


def test_dashboard_has_chart_threshold_and_risks(web):
    login(web, ACCOUNTANT)
    page = web.get("/dashboard?as_of=2026-03-31").text
    assert "Section indisponible" not in page
    assert '<svg class="chart"' in page
    assert 'class="threshold"' in page and "seuil 3" in page
    assert page.count('<circle class="day ') == 30
    assert 'href="/invoices/F2026-0001"' in page
    # a malformed date is a bad request (400) that says what was expected, not a 404
    for bad in ("2026-13-45", "31/02/2026", "demain"):
        r = web.get(f"/dashboard?as_of={bad}")
        assert r.status_code == 400, bad
        assert f"la date « {bad} » (as_of)" in r.text
        assert "JJ/MM/AAAA ou AAAA-MM-JJ" in r.text and "Requête invalide" in r.text
    # the day as a French user writes it, day first, is the same page as ISO
    day_first = web.get("/dashboard?as_of=31/03/2026").text
    assert "Tableau de bord <small>au 31/03/2026</small>" in day_first
    # the form shows the day day-first whatever the browser's language (a text field, not a
    # date field whose order follows the browser's locale)
    assert 'name="as_of" value="31/03/2026"' in day_first and 'type="date"' not in day_first


def test_the_dashboard_shows_the_latest_report_not_the_last_one_made(web):
    """A report rebuilt for an earlier day after a later one (``khazna report --as-of
    2026-12-07`` after the run of 08/12) does not hide the later one; a dashboard looked at
    as of an earlier day shows the report of that day, and a week not over says so."""
    from khazna.agents.reporter.facts import build_report_facts
    from khazna.agents.reporter.nodes import report_id_of
    from khazna.ledger.tables_agents import Report

    def made(day: date, at: datetime) -> None:
        with web.ledger.read() as s:
            facts = build_report_facts(s, day)
        with web.ledger.session() as s:
            s.add(Report(report_id=report_id_of(day), as_of=day, week_start=facts.week_start,
                         week_end=facts.week_end, forecast_status=facts.forecast_status,
                         facts=facts.model_dump(mode="json"), commentary=f"texte du {day:%d/%m}",
                         created_at=at))  # fmt: skip

    made(date(2026, 3, 24), datetime(2026, 3, 24, 18))
    made(date(2026, 3, 22), datetime(2026, 3, 25, 9))  # made later, about an earlier day
    login(web, ACCOUNTANT)
    page = web.get("/dashboard?as_of=2026-03-31").text
    assert "texte du 24/03" in page and "texte du 22/03" not in page
    assert "Semaine en cours, du 20/03/2026 au 24/03/2026 (elle se termine le 26/03/2026)" in page
    earlier = web.get("/dashboard?as_of=2026-03-23").text
    assert "texte du 22/03" in earlier and "texte du 24/03" not in earlier
    assert "Pas encore de rapport" in web.get("/dashboard?as_of=2026-03-01").text


def test_invoice_page_lines_payments_open_amount(web):
    login(web, ACCOUNTANT)
    page = web.get("/invoices/F2026-0001?as_of=2026-03-31").text
    assert "Maintenance serveurs janvier" in page
    assert "P001" in page
    assert "F2026-0004" in page  # the credit note
    assert format_dzd(Decimal("57100")) in page
    assert web.get("/invoices/NOPE").status_code == 404


def test_questions_page_links_the_ids(web):
    login(web, ACCOUNTANT)
    assert "Votre question" in web.get("/questions").text
    r = web.post(
        "/questions",
        data={
            "csrf": csrf_of(web, "/questions"),
            "question": "factures de Sonatel et leurs jours de retard",
            "as_of": "2026-03-31",
        },
    )
    assert r.status_code == 200
    assert 'href="/invoices/F2026-0001"' in r.text
    # the reading comes first, then the answer
    reading = r.text.index('class="reading"')
    assert "Compris : factures et jours de retard" in r.text
    assert reading < r.text.index("<h2>Réponse</h2>")
    r = web.post("/questions", data={"question": "x", "as_of": "2026-03-31"})
    assert r.status_code == 403


def test_through_smtp_the_badge_and_the_message_say_sent_by_smtp(tmp_path, smtp):
    from khazna.mail.transport import MailSettings, SmtpTransport

    url, ledger = ledger_with_draft(tmp_path)
    transport = SmtpTransport(
        MailSettings(host="127.0.0.1", port=smtp.port, mail_from="gerance@atlas.example.dz")
    )
    app = create_app(url, secret="s" * 40, transport=transport)
    with TestClient(app) as web:
        login(web, OWNER)
        r = web.post(
            f"/drafts/{DRAFT_ID}/approve",
            data={"version": "detailed", "confirm": "1", "csrf": csrf_of(web)},
        )
        said = html.unescape(r.text)
        assert "Relance approuvée et envoyée par SMTP à compta@sonatel.example.dz." in said
        assert 'data-delivery="smtp">envoyée par SMTP</span>' in said
        assert f"envoyée par SMTP (127.0.0.1:{smtp.port})" in said  # the « Envoi » line
        assert "boîte d'envoi locale" not in said
        assert len(smtp.accepted) == 1
        assert 'data-delivery="smtp">envoyée par SMTP</span>' in web.get("/inbox").text
    ledger.dispose()
    app.state.ledger.dispose()


def test_a_checker_warning_is_shown_above_the_text_and_leave_out_is_one_click(web):
    note = "F2026-0001 : le montant en lettres ne correspond pas au total — à corriger avant de relancer ?"
    with web.ledger.session() as s:
        d = s.get(Draft, DRAFT_ID)
        d.citations = [
            *d.citations,
            {
                "id": "check:F2026-0001:X",
                "kind": "checker",
                "number": "F2026-0001",
                "code": "X",
                "note": note,
            },
        ]
    login(web, OWNER)
    assert "à vérifier : F2026-0001" in web.get("/").text  # seen in the list, before opening
    page = web.get(f"/drafts/{DRAFT_ID}").text
    assert page.index("à corriger avant de relancer") < page.index("Texte de la relance")
    assert "Retirer F2026-0001" not in page  # the only invoice: reject the draft instead
    r = web.post(
        f"/drafts/{DRAFT_ID}/leave-out", data={"csrf": csrf_of(web), "number": "F2026-0001"}
    )
    assert "seule facture" in r.text and status_of(web) == "pending_approval"


# --------------------------------------------------------------------------- channels


def test_whatsapp_channel_click_to_chat_and_marked_sent_by_hand(web):
    from urllib.parse import quote

    from khazna.ledger.models import Client

    with web.ledger.session() as s:
        s.get(Client, "C01").phone = "0555 12 34 56"
    login(web, OWNER)
    token = csrf_of(web, "/clients/C01")
    r = web.post("/clients/C01/channel", data={"csrf": token, "channel": "whatsapp"})
    assert r.status_code == 200 and "WhatsApp" in r.text
    page = web.get(f"/drafts/{DRAFT_ID}").text
    assert 'data-channel="whatsapp"' in page and "wa.me" not in page.split("Après")[0]
    assert "<dt>À</dt><dd>+213555123456 (WhatsApp)</dd>" in page  # the phone, not the email
    r = web.post(
        f"/drafts/{DRAFT_ID}/approve", data={"csrf": token, "version": "detailed", "confirm": "1"}
    )
    assert r.status_code == 200 and "rien n'est parti" in html.unescape(r.text)
    d = get_draft(AgentDeps(ledger=web.ledger), DRAFT_ID)
    assert d.status == "approved" and outbox_messages() == []
    link = f"https://wa.me/213555123456?text={quote(d.short, safe='')}"
    assert f'href="{html.escape(link)}"' in r.text
    r = web.post(f"/drafts/{DRAFT_ID}/mark-sent", data={"csrf": token})
    assert "marquée envoyée à la main" in html.unescape(r.text)
    assert status_of(web) == "sent" and outbox_messages() == []


def test_whatsapp_webhook_is_verified_by_signature_and_joins_the_history(web, monkeypatch):
    import hashlib
    import hmac
    import json

    from sqlalchemy import select

    from khazna.ledger.models import Client, Interaction

    monkeypatch.setenv("KHAZNA_WHATSAPP_APP_SECRET", "app-secret")
    monkeypatch.setenv("KHAZNA_WHATSAPP_VERIFY_TOKEN", "vt")
    with web.ledger.session() as s:
        s.get(Client, "C01").phone = "0555 12 34 56"
    assert (
        web.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42").text
        == "42"
    )
    assert (
        web.get(
            "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=no&hub.challenge=4"
        ).status_code
        == 403
    )
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "messages": [
                                    {
                                        "from": "213555123456",
                                        "id": "wamid.IN1",
                                        "timestamp": "1774950000",
                                        "type": "text",
                                        "text": {"body": "Le virement de F2026-0001 part jeudi"},
                                    }
                                ],
                            },
                        }
                    ]
                }
            ],
        }
    ).encode()
    sig = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json"}
    r = web.post(
        "/webhooks/whatsapp", content=body, headers=headers | {"X-Hub-Signature-256": "sha256=00"}
    )
    assert r.status_code == 403
    r = web.post("/webhooks/whatsapp", content=body, headers=headers)
    assert r.status_code == 403
    r = web.post("/webhooks/whatsapp", content=body, headers=headers | {"X-Hub-Signature-256": sig})
    assert r.status_code == 200 and r.json()["added"] == 1
    r = web.post("/webhooks/whatsapp", content=body, headers=headers | {"X-Hub-Signature-256": sig})
    assert r.json()["added"] == 0  # the same message once
    with web.ledger.read() as s:
        (i,) = s.scalars(select(Interaction).where(Interaction.interaction_id == "WA-wamid.IN1"))
        assert (i.client_id, i.channel, i.direction, i.unconfirmed) == ("C01", "whatsapp", "in", "")
        assert "F2026-0001" in i.text
        # the instant, for the WhatsApp 24-hour window (1774950000 = 31/03/2026 09:40 UTC)
        assert i.at is not None and i.at.isoformat() == "2026-03-31T09:40:00"
    # a status callback for a message the Cloud API took (its wamid in the outbox row)
    from khazna.ledger.tables_mail import MailMessage

    with web.ledger.session() as s:
        s.add(MailMessage(idempotency_key="k-wa-1", message_id="<wa-1@k>", kind="reminder",
                          sender="gerance@atlas.example.dz", recipients=["213555123456"], raw=b"x",
                          state="sent", server_reply="whatsapp wamid.OUT1", channel="whatsapp",
                          created_at=datetime(2026, 3, 31, 9, 0)))  # fmt: skip
    status = json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [
            {"id": "wamid.OUT1", "status": "read", "timestamp": "1774951000",
             "recipient_id": "213555123456"}]}}]}]}).encode()  # fmt: skip
    sig = "sha256=" + hmac.new(b"app-secret", status, hashlib.sha256).hexdigest()
    r = web.post(
        "/webhooks/whatsapp", content=status, headers=headers | {"X-Hub-Signature-256": sig}
    )
    assert r.json() == {"added": 0, "statuses": 1, "ignored": 0}
    with web.ledger.read() as s:
        row = s.scalar(select(MailMessage).where(MailMessage.idempotency_key == "k-wa-1"))
        assert row is not None and row.state == "sent"  # noted, the state unchanged
        assert row.last_error.startswith("statut WhatsApp : read")


def test_sms_webhook_is_signed_and_a_reply_joins_the_history_as_evidence(web, monkeypatch):
    """Issue 14.5: a client's SMS joins its history like an email reply, but an SMS sender can
    be forged: it is shown on the drafts and pauses nothing by itself; a delivery status is
    noted on the outbox row of the message the gateway took."""
    import hashlib
    import hmac
    import json

    from sqlalchemy import select

    from khazna.ledger.models import Client, Interaction
    from khazna.ledger.tables_mail import MailMessage
    from khazna.tools.client_state import client_states

    monkeypatch.setenv("KHAZNA_SMS_WEBHOOK_SECRET", "sms-secret")
    with web.ledger.session() as s:
        s.get(Client, "C01").phone = "0555 12 34 56"
    body = json.dumps(
        {"messages": [{"id": "gw-77", "from": "+213 555 12 34 56", "timestamp": "1774950000",
                       "text": "Nous paierons la facture F2026-0001 le 15/04/2026"}]}
    ).encode()  # fmt: skip
    sig = "sha256=" + hmac.new(b"sms-secret", body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json"}
    assert web.post("/webhooks/sms", content=body, headers=headers).status_code == 403
    bad = headers | {"X-Khazna-Signature": "sha256=" + "0" * 64}
    assert web.post("/webhooks/sms", content=body, headers=bad).status_code == 403
    signed = headers | {"X-Khazna-Signature": sig}
    r = web.post("/webhooks/sms", content=body, headers=signed)
    assert r.status_code == 200 and r.json()["added"] == 1
    assert web.post("/webhooks/sms", content=body, headers=signed).json()["added"] == 0
    with web.ledger.read() as s:
        (i,) = s.scalars(select(Interaction).where(Interaction.interaction_id == "SMS-gw-77"))
        assert (i.client_id, i.channel, i.direction) == ("C01", "sms", "in")
        assert i.unconfirmed == "sender_not_authenticated"
        assert i.at is not None and i.at.isoformat() == "2026-03-31T09:40:00"
        st = client_states(s, date(2026, 4, 1), "C01")["C01"]
        assert not st.promises  # evidence, not authority
        assert [c.kind for c in st.claims] == ["promise"]
    # a delivery status for a message the gateway took
    with web.ledger.session() as s:
        s.add(MailMessage(idempotency_key="k-sms-1", message_id="<sms-1@k>", kind="reminder",
                          sender="gerance@atlas.example.dz", recipients=["213555123456"], raw=b"x",
                          state="sent", server_reply="sms gw-out-1", channel="sms",
                          created_at=datetime(2026, 3, 31, 9, 0)))  # fmt: skip
    status = json.dumps({"statuses": [{"id": "gw-out-1", "status": "delivered"}]}).encode()
    sig = "sha256=" + hmac.new(b"sms-secret", status, hashlib.sha256).hexdigest()
    r = web.post("/webhooks/sms", content=status, headers=headers | {"X-Khazna-Signature": sig})
    assert r.json()["statuses"] == 1
    with web.ledger.read() as s:
        row = s.scalar(select(MailMessage).where(MailMessage.idempotency_key == "k-sms-1"))
        assert row is not None and row.state == "sent"  # noted, the state unchanged
        assert row.last_error.startswith("statut SMS : delivered")


def test_what_if_form_draws_the_scenario_against_the_base(web):
    login(web, ACCOUNTANT)
    assert (
        'href="/dashboard/what-if?as_of=2026-03-31"' in web.get("/dashboard?as_of=2026-03-31").text
    )
    page = web.get("/dashboard/what-if?as_of=2026-03-31").text
    assert 'name="delay_client"' in page and '<option value="C01"' in page
    assert "Base et scénario" not in page  # nothing asked yet
    r = web.get(
        "/dashboard/what-if",
        params={"as_of": "2026-03-31", "once_date": "2026-04-05", "once_amount": "-1M",
                "once_label": "machine", "delay_client": "C01", "delay_days": "15"},
    )  # fmt: skip
    assert r.status_code == 200
    page = html.unescape(r.text)
    assert "sortie unique de " + format_dzd(Decimal(1000000)) + " le 05/04/2026 (machine)" in page
    assert "paie 15 jours plus tard que prévu" in page
    assert 'class="base"' in page and 'class="scenario"' in page
    assert page.count('<circle class="day ') == 30 and "Ce qui casse d'abord" in page
    r = web.get("/dashboard/what-if", params={"as_of": "2026-03-31", "specs": "delay:Zorglub:+5d"})
    assert r.status_code == 400 and "client inconnu : &#39;Zorglub&#39;" in r.text


def test_the_owner_sets_a_clients_civility_on_its_page(web):
    from khazna.ledger.models import Client

    login(web, OWNER)
    page = html.unescape(web.get("/clients/C01").text)
    assert "non précisée" in page and "Madame, Monsieur, d'après le nom" in page
    token = csrf_of(web, "/clients/C01")
    r = web.post("/clients/C01/civility", data={"csrf": token, "civility": "f"})
    assert r.status_code == 200 and "Civilité de C01 : Madame" in html.unescape(r.text)
    assert '<option value="f" selected>Madame</option>' in r.text
    with web.ledger.read() as s:
        assert s.get(Client, "C01").civility == "f"
    r = web.post("/clients/C01/civility", data={"csrf": token, "civility": "x"})
    assert "civilité inconnue" in html.unescape(r.text)
    web.post("/clients/C01/civility", data={"csrf": token, "civility": "s"})
    with web.ledger.read() as s:
        assert s.get(Client, "C01").civility == "s"


# --------------------------------------------------------------------------- outbox, settings


def test_the_outbox_page_says_a_written_reminder_did_not_leave(web):
    """Issue 13.1 on the web: the outgoing mail, as ``mail-outbox`` lists it, in words; with
    no SMTP server a reminder is « écrit (non envoyé) » and the page says nothing leaves."""
    login(web, OWNER)
    r = web.get("/outbox")
    assert r.status_code == 200 and "Aucun courrier sortant." in r.text
    token = csrf_of(web, f"/drafts/{DRAFT_ID}")
    r = web.post(
        f"/drafts/{DRAFT_ID}/approve", data={"version": "detailed", "csrf": token, "confirm": "1"}
    )
    assert status_of(web) == "sent"
    page = web.get("/outbox").text
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "écrit (non envoyé)" in text and "parti" not in text
    assert "rien ne part" in text and "Aucun serveur SMTP configuré" in text
    assert (
        "écrite dans la boîte d'envoi locale (non envoyée : aucun serveur SMTP configuré)" in text
    )
    assert "relance" in text and DRAFT_ID in text and "compta@sonatel.example.dz" in text
    [eml] = sorted((Path(os.environ["KHAZNA_HOME"]) / "outbox").glob("*.eml"))
    assert f'<code class="path">{eml.name}</code>' in page
    assert str(eml.parent.parent) not in page.split("rien ne part")[1]  # names, not server paths
    assert not re.search(r"\b(?:reminder|sent|file)\b", re.sub(r'"[^"]*"', "", text))


def test_the_settings_page_shows_the_transport_and_warns_without_owner_email(web, monkeypatch):
    login(web, ACCOUNTANT)
    text = html.unescape(re.sub(r"<[^>]+>", " ", web.get("/settings").text))
    assert "boîte d'envoi locale" in text and "rien n'est envoyé" in text
    assert "KHAZNA_OWNER_EMAIL non défini" in text and "ne partent vers personne" in text
    assert "hors ligne : modèles de texte" in text
    assert "Atlas" in text and "français" in text and "gérant" in text and "comptable" in text
    monkeypatch.setenv("KHAZNA_SMTP_HOST", "smtp.example.dz")
    monkeypatch.setenv("KHAZNA_MAIL_FROM", "gerance@atlas.example.dz")
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "gerant@atlas.example.dz")
    text = html.unescape(re.sub(r"<[^>]+>", " ", web.get("/settings").text))
    assert "envoi par SMTP : smtp.example.dz:25, sans chiffrement" in text
    assert "expéditeur gerance@atlas" in text
    assert "rapports et alertes envoyés à gerant@atlas.example.dz" in text
    assert "attention" not in text.split("Fonctionnement")[1].split("Utilisateurs")[0]
