"""The web app in a real headless Chromium (Debian's), driven by Playwright, against uvicorn,
with the reminder delivered to a real SMTP server (aiosmtpd, the ``smtp`` fixture).

Screenshots go to ``artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from khazna.agents.deps import AgentDeps
from khazna.agents.inbox import get_draft
from khazna.mail.transport import FileOutbox
from khazna.web.app import create_app
from tests.smtp_server import free_port
from tests.web_helpers import DRAFT_ID, OWNER, add_draft, ledger_with_draft

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed"
)


@pytest.fixture
def served(tmp_path, smtp, monkeypatch):
    """The app on a free port (uvicorn in a thread), sending mail to the test's SMTP server."""
    import uvicorn

    monkeypatch.setenv("KHAZNA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KHAZNA_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("KHAZNA_SMTP_SECURITY", "none")
    monkeypatch.setenv("KHAZNA_MAIL_FROM", "gerance@atlas.example.dz")
    url, ledger = ledger_with_draft(tmp_path)
    app = create_app(url, secret="w" * 40)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ledger
    server.should_exit = True
    thread.join(10)
    ledger.dispose()
    app.state.ledger.dispose()


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as err:  # noqa: BLE001 - a browser that cannot start is a skip
            pytest.skip(f"Chromium did not start: {err}")
        yield b
        b.close()


RAW_CODES = re.compile(
    r"pending_approval|a_surveiller|grand_compte|\btemplate\b|sha256|version=|\bUTC\b|"
    r"\b(?:not_due|over_90|1_30|31_60|61_90)\b|\b(?:PROMISE|DISPUTE)\b|\bowner\b"
)


def no_raw_codes(text: str) -> None:
    """What the owner reads carries words, not the codes of the ledger (issue 13)."""
    found = RAW_CODES.findall(text)
    assert not found, found


def test_login_approve_and_the_mail_arrives(served, browser, smtp):
    base, ledger = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")

    page.goto(base + "/")
    assert page.url.startswith(base + "/login")
    page.fill("input[name=username]", OWNER[0])
    page.fill("input[name=password]", OWNER[1])
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    assert page.locator("table.inbox tbody tr").count() == 1
    page.screenshot(path=str(SHOTS / "inbox.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(base + "/inbox")
    phone.screenshot(path=str(SHOTS / "inbox_phone.png"), full_page=True)

    page.click("text=Sonatel SPA")
    page.wait_for_url(f"{base}/drafts/{DRAFT_ID}")
    subject = get_draft(AgentDeps(ledger=ledger), DRAFT_ID).subject
    assert page.locator("p.subject span").inner_text() == subject
    page.screenshot(path=str(SHOTS / "draft.png"), full_page=True)

    page.check("form.approve input[value=short]")
    page.click("form.approve button[type=submit]")
    # a formal notice asks before it leaves: nothing sent on the first click
    page.wait_for_selector("form.confirm-send")
    assert (
        "Envoyer la mise en demeure à Sonatel SPA (compta@sonatel.example.dz) ?"
        in page.inner_text("h2.question")
    )
    assert smtp.accepted == []
    assert get_draft(AgentDeps(ledger=ledger), DRAFT_ID).status == "pending_approval"
    page.screenshot(path=str(SHOTS / "confirm_formal_notice.png"), full_page=True)
    page.click("form.confirm-send button[type=submit]")
    page.wait_for_selector("p.flash.ok")
    assert "Relance approuvée et envoyée par SMTP à compta@sonatel.example.dz." == page.inner_text(
        "p.flash.ok"
    )
    badge = page.locator("h1 .status.sent")
    assert badge.get_attribute("data-delivery") == "smtp"
    assert badge.inner_text() == "envoyée par SMTP"

    assert len(smtp.accepted) == 1
    msg = smtp.parsed(0)
    assert msg["Subject"] == subject
    assert msg["To"] == "compta@sonatel.example.dz"
    names = [part.get_filename() for part in msg.iter_attachments()]
    assert names == ["F2026-0001.pdf"]
    pdf = next(msg.iter_attachments()).get_content()
    assert pdf.startswith(b"%PDF")
    short = get_draft(AgentDeps(ledger=ledger), DRAFT_ID).short
    assert msg.get_body(preferencelist=("plain",)).get_content().strip() == short.strip()

    no_raw_codes(page.inner_text("main"))  # the decided draft: decision, writer, kind in words
    page.click("nav >> text=Relances")
    assert "Aucune relance en attente" in page.inner_text("main")
    no_raw_codes(page.inner_text("main"))
    assert page.locator("table.recent .status.sent").count() == 1
    assert page.locator("table.recent .status.sent").inner_text() == "envoyée par SMTP"
    page.screenshot(path=str(SHOTS / "inbox_after.png"), full_page=True)

    add_draft(
        ledger,
        "DAR",
        language="ar",
        subject="تذكير بفاتورة غير مسددة – F2026-0002",
        short="نذكركم بأن الفاتورة F2026-0002 لم تسدد بعد.",
        detailed="السادة الكرام،\n\nنذكركم بأن الفاتورة F2026-0002 بمبلغ 59 500,00 دج لم تسدد بعد.\n\nمع فائق الاحترام",
    )
    page.goto(base + "/drafts/DAR")
    assert page.locator('div.draft-text[dir="rtl"]').count() == 2
    page.screenshot(path=str(SHOTS / "draft_ar.png"), full_page=True)
    no_raw_codes(page.inner_text("main"))
    phone.goto(base + "/drafts/DAR")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(SHOTS / "draft_ar_phone.png"), full_page=True)

    page.goto(base + "/dashboard?as_of=2026-03-31")
    assert page.locator("svg.chart circle.day").count() == 30
    assert page.locator("svg.chart line.threshold").count() == 1
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    assert (SHOTS / "dashboard.png").stat().st_size > 10_000
    chart_is_readable(page, 1366 - 40)

    # on a phone the chart is drawn for the width: labels as large, nothing overflows
    phone.goto(base + "/dashboard?as_of=2026-03-31")
    chart_is_readable(phone, 390)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SHOTS / "dashboard_phone.png"), full_page=True)


def chart_is_readable(page, max_width: int) -> None:
    """Every label of the chart is drawn at 10 px or more, inside the chart, none over
    another; the threshold's label does not sit on its line."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text')].map(t => {
             const r = t.getBoundingClientRect();
             return {size: parseFloat(getComputedStyle(t).fontSize), x: r.x, y: r.y,
                     w: r.width, h: r.height, cls: t.getAttribute('class') || ''}; })"""
    )
    svg = page.locator("svg.chart").bounding_box()
    assert svg is not None and svg["width"] <= max_width
    assert len(boxes) >= 8
    for b in boxes:
        assert b["size"] >= 10, b
        assert svg["x"] - 1 <= b["x"] and b["x"] + b["w"] <= svg["x"] + svg["width"] + 1, b
    dates = sorted(
        (b for b in boxes if b["y"] > svg["y"] + svg["height"] - 40), key=lambda b: b["x"]
    )
    for a, b in zip(dates, dates[1:], strict=False):
        assert a["x"] + a["w"] <= b["x"], (a, b)
    line = page.locator("svg.chart line.threshold").bounding_box()
    label = next(b for b in boxes if "threshold-label" in b["cls"])
    assert line is not None
    assert label["y"] + label["h"] <= line["y"] or label["y"] >= line["y"] + line["height"]


def test_receipts_page_upload_from_the_browser(served, browser, tmp_path):
    from datetime import date
    from decimal import Decimal

    from khazna.ledger.models import Expense
    from khazna.tools.receipts import receipts_of

    base, ledger = served
    with ledger.session() as s:
        for i, (payee, amount, who) in enumerate(
            [
                ("Restaurant Le Tassili", "9000.00", "K. Benali"),
                ("Naftal Hydra", "7500.00", "K. Benali"),
                ("Hôtel El Djazair", "12000.00", "A. Boudiaf"),
            ]
        ):
            s.add(
                Expense(
                    expense_id=f"E01{i}",
                    date=date(2026, 3, 2 + i),
                    payee=payee,
                    category="deplacements",
                    amount=Decimal(amount),
                    method="carte",
                    employee=who,
                    receipt="no",
                )
            )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page.goto(base + "/receipts?as_of=2026-03-31")
    page.fill("input[name=username]", OWNER[0])
    page.fill("input[name=password]", OWNER[1])
    page.click("button[type=submit]")
    page.wait_for_url(base + "/receipts?as_of=2026-03-31")
    assert page.locator("form.upload").count() == 3
    page.screenshot(path=str(SHOTS / "receipts.png"), full_page=True)

    ticket = tmp_path / "ticket.pdf"
    ticket.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#exp-E010 input[type=file]", str(ticket))
    page.click("#exp-E010 button[type=submit]")
    page.wait_for_selector("p.flash.ok")
    assert "E010" in page.inner_text("p.flash.ok")
    assert page.locator("form.upload").count() == 2
    with ledger.read() as s:
        assert [r.filename for r in receipts_of(s, "E010")] == ["ticket.pdf"]
    page.screenshot(path=str(SHOTS / "receipts_after.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(base + "/receipts?as_of=2026-03-31")
    phone.screenshot(path=str(SHOTS / "receipts_phone.png"), full_page=True)


# every snake_case code of the ledger (missing_receipt, encaissement_client, pending_approval…)
# and the English states a French page never shows
CODES = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b(?:sent|rejected|approved|failed|unconfirmed)\b")


def sent_through(ledger, transport, kind: str, subject: str) -> None:
    from khazna.mail.message import build_message
    from khazna.mail.outbox import send_now

    msg = build_message(
        sender="gerance@atlas.example.dz", to=["gerant@atlas.example.dz"], subject=subject,
        text="…", language="ar" if kind == "report" else "fr",
    )  # fmt: skip
    # in a thread of its own: the SMTP client runs an event loop, and Playwright's sync API
    # holds one in this thread
    worker = threading.Thread(
        target=send_now, args=(ledger.session, transport, msg), kwargs={"kind": kind, "key": kind}
    )
    worker.start()
    worker.join(30)


def smtp_transport(smtp):
    from khazna.mail.transport import MailSettings, SmtpTransport

    return SmtpTransport(
        MailSettings(host="127.0.0.1", port=smtp.port, mail_from="gerance@atlas.example.dz")
    )


def main_text(page) -> str:
    """The text of the page's main, file paths left out (a path is not a code of the
    ledger, and the test's folder names have underscores)."""
    return page.evaluate(
        """() => { const m = document.querySelector('main').cloneNode(true);
                   m.querySelectorAll('code.path').forEach(c => c.remove());
                   document.body.appendChild(m);
                   const t = m.innerText; m.remove(); return t; }"""
    )


def test_every_page_reads_at_1366_and_at_390_px(served, browser, smtp, tmp_path):
    """Issue 13.6: each page of the app, French and Arabic drafts included, in a desktop
    window and on a phone: nothing wider than the screen, the chart's labels 10 px or more,
    no code of the ledger in the text; a screenshot of each for a person to look at."""
    base, ledger = served
    add_draft(
        ledger,
        "DAR",
        language="ar",
        subject="تذكير بفاتورة غير مسددة – F2026-0002",
        short="نذكركم بأن الفاتورة F2026-0002 لم تسدد بعد.",
        # as the composer writes it: Latin tokens in isolates, a narrow no-break space
        detailed="السادة الكرام،\n\nنذكركم بأن الفاتورة \u2066F2026-0002\u2069 بمبلغ "
        "\u206659\u202f500,00\u2069 دج لم تسدد بعد.",
    )
    add_draft(  # a letter about many invoices: on a phone their list wraps between numbers
        ledger,
        "DMANY",
        level=3,
        invoice_numbers=[f"F2026-{n:04d}" for n in (288, 305, 328, 345, 372, 386, 412)],
    )
    # the outgoing mail holds a message of each way out: an Arabic report the file outbox
    # wrote (nothing left), an alert handed to the SMTP server
    sent_through(ledger, FileOutbox(tmp_path / "outbox"), "report", "تقرير الخزينة – الأسبوع 13")
    sent_through(ledger, smtp_transport(smtp), "alert", "Alerte : trésorerie sous le seuil")
    pages = {
        "inbox": "/inbox",
        "draft_fr": f"/drafts/{DRAFT_ID}",
        "draft_ar": "/drafts/DAR",
        "dashboard": "/dashboard?as_of=2026-03-31",
        "dashboard_after_books": "/dashboard?as_of=2027-06-30",
        "what_if": "/dashboard/what-if?as_of=2026-03-31",
        "questions": "/questions",
        "invoice": "/invoices/F2026-0001?as_of=2026-03-31",
        "client": "/clients/C01?as_of=2026-03-31",
        "receipts": "/receipts?as_of=2026-03-31",
        "exports": "/exports",
        "outbox": "/outbox",
        "settings": "/settings",
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk = browser.new_page(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR")
    for page in (desk, phone):  # a session each, as two devices have
        page.goto(base + "/login")
        page.fill("input[name=username]", OWNER[0])
        page.fill("input[name=password]", OWNER[1])
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
    for page, width in ((desk, 1366), (phone, 390)):
        for name, path in pages.items():
            response = page.goto(base + path)
            assert response is not None and response.status == 200, (name, width)
            assert "/login" not in page.url, (name, width)
            if name == "questions":  # the answer page, as the accountant sees it
                page.fill("textarea[name=question]", "total des créances de plus de 60 jours ?")
                page.fill("input[name=as_of]", "2026-03-31")
                page.click("form[action='/questions'] button[type=submit]")
                page.wait_for_selector("section.answer")
                answer = page.inner_text("section.answer")
                # the figure in words and French format only: no "Valeur : 0.00", no tool code
                assert not re.search(r"Valeur :|Outils :|receivables|\d\.\d\d\b", answer), answer
                assert answer.count("Compris") == 1, answer
            # an invoice number is never cut at its hyphen (issue 13.6): each on one line
            broken = page.evaluate(
                """() => [...document.querySelectorAll('main span.ref, main a.ref')]
                     .filter(e => e.getClientRects().length > 1).map(e => e.textContent)"""
            )
            assert not broken, (name, width, broken)
            if name == "inbox":  # each number of the long letter is one unbreakable piece
                assert page.locator("td span.ref", has_text="F2026-0412").count() == 1
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width + 1, (name, width, wide)
            # nothing inside the page wider than its box either (a table that scrolls, a
            # word that overprints its neighbour)
            over = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                     .filter(e => !e.matches('input, textarea, select')  // scroll by nature
                                  && e.scrollWidth > e.clientWidth + 1
                                  && getComputedStyle(e).overflowX !== 'visible')
                     .map(e => e.tagName + '.' + e.className)"""
            )
            assert not over, (name, width, over)
            if width == 390:  # the menu: a grid of tap targets of 44 px or more each way
                assert (
                    page.evaluate("getComputedStyle(document.querySelector('header nav')).display")
                    == "grid"
                ), name
                targets = page.evaluate(
                    """() => [...document.querySelectorAll('header nav a, form.logout button')]
                         .map(e => { const r = e.getBoundingClientRect();
                                     return [e.textContent.trim(), r.width, r.height]; })"""
                )
                assert len(targets) == 8, targets
                small = [t for t in targets if t[1] < 44 or t[2] < 44]
                assert not small, (name, small)
            if "as_of" in page.content() and name in ("dashboard", "receipts", "what_if"):
                # the day reads day first, whatever the browser's language
                shown = page.input_value("input[name=as_of]")
                assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", shown), (name, shown)
                assert page.evaluate(
                    "document.querySelector('input[name=as_of]').checkValidity()"
                ), name
            text = main_text(page)
            no_raw_codes(text)
            assert not CODES.findall(text), (name, width, CODES.findall(text))
            if name == "outbox":
                rows = page.locator("table.outbox tbody tr")
                assert rows.count() == 2, (name, width)
                assert "écrit (non envoyé)" in text and "parti" in text, text
                assert page.locator("tr[data-delivery=file] span[dir=auto]").count() == 1
            if name == "settings":
                assert "envoi par SMTP : 127.0.0.1" in text, text
                assert "KHAZNA_OWNER_EMAIL non défini" in text, text
            sizes = page.evaluate(
                "[...document.querySelectorAll('svg text')]"
                ".map(t => parseFloat(getComputedStyle(t).fontSize))"
            )
            assert all(size >= 10 for size in sizes), (name, width, sizes)
            page.screenshot(path=str(SHOTS / f"page_{name}_{width}.png"), full_page=True)
    assert desk.locator('div.draft-text[dir="rtl"]').count() == 0  # the last page: exports
    phone.goto(base + "/dashboard?as_of=2027-06-30")
    assert phone.url.endswith("/dashboard?as_of=2027-06-30"), phone.url
    note = phone.inner_text("p.as-of-note")
    assert "après le dernier enregistrement" in note and "30/06/2027" in note
    phone.goto(base + "/dashboard?as_of=2026-02-26")  # within the books: nothing to say
    assert phone.locator("p.as-of-note").count() == 0
