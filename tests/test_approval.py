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
    with pytest.raises(InboxError, match="déjà envoyée"):
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
        [
            sys.executable,
            "-m",
            "khazna.cli",
            "inbox",
            "approve",
            DRAFT,
            "--db",
            db,
            "--yes",
            "--json",
        ],
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
    assert twice.returncode == 1 and "déjà écrite dans la boîte d'envoi locale" in twice.stderr
    assert len(list((tmp_path / "home" / "outbox").glob("*.eml"))) == 1


def test_a_thread_is_durable_at_its_interrupt_while_the_run_still_holds_the_checkpointer(
    db_url, tmp_path, monkeypatch
):
    """The run's dunning writer starts every approval thread on one open checkpointer: a
    process killed just after a thread reached its interrupt (the checkpointer never closed)
    leaves that thread waiting for the owner in the checkpoints, not to be started again."""
    env = {
        **os.environ,
        "KHAZNA_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import date
        from pathlib import Path
        import khazna.agents.inbox as inbox
        from khazna.agents.deps import AgentDeps
        from khazna.agents.dunning.graph import build_dunning_graph
        from khazna.ledger.bundle import import_bundle
        from khazna.ledger.db import Ledger
        from tests.bundles import write_bundle
        real = inbox.build_approval_graph
        def killed_after_first_thread(saver):
            graph = real(saver)
            invoke = graph.invoke
            def once(*args, **kwargs):
                invoke(*args, **kwargs)
                os.kill(os.getpid(), signal.SIGKILL)
            graph.invoke = once
            return graph
        inbox.build_approval_graph = killed_after_first_thread
        ledger = Ledger({db_url!r})
        import_bundle(ledger, write_bundle(Path({str(tmp_path / "b")!r})))
        build_dunning_graph().invoke({{"as_of": date(2026, 3, 31), "run_id": "t"}},
                                     {{"configurable": {{"deps": AgentDeps(ledger=ledger)}}}})
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == -9, proc.stderr
    from khazna.agents.approval.graph import build_approval_graph, thread_config
    from khazna.agents.checkpoint import open_checkpointer

    monkeypatch.setenv("KHAZNA_HOME", env["KHAZNA_HOME"])
    with open_checkpointer(db_url) as saver:
        cfg = thread_config(DRAFT, AgentDeps(ledger=Ledger(db_url)))
        snapshot = build_approval_graph(saver).get_state(cfg)
    assert snapshot.next == ("await_approval",)
    assert [i.value["draft_id"] for i in snapshot.interrupts] == [DRAFT]
    run = subprocess.run(
        [sys.executable, "-m", "khazna.cli", "inbox", "approve", DRAFT, "--db", db_url, "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
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
    assert main(["inbox", "approve", DRAFT, "--db", db, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "échec de l'envoi" in out and "Non envoyée : " in out and "failed" not in out
    view = list_drafts(deps, statuses=("failed",))[0]
    assert "il faut au moins un destinataire" in view.decision_note  # in French
    assert "recipient" not in view.decision_note
    assert "non envoyée : À : il faut au moins un destinataire (envoyez-la par la poste" in out
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir())


# --- the owner's edit from the command line: checked, --force, $EDITOR; honest output ------


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from khazna.cli import main

    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def _outbox_files() -> list[Path]:
    return sorted((Path(os.environ["KHAZNA_HOME"]) / "outbox").glob("*.eml"))


def test_a_mistyped_amount_is_refused_and_force_records_the_override(db_url, tmp_path, capsys):
    import json

    from khazna.agents.inbox import get_draft
    from khazna.money import format_dzd

    deps = _drafted(db_url, tmp_path)
    d = get_draft(deps, DRAFT)
    right, typo = format_dzd(d.total), format_dzd(d.total / 10)  # 57 100,00 DA → 5 710,00 DA
    edited = d.detailed.replace(right, typo)
    assert edited != d.detailed
    rc, out, err = _cli(capsys, "inbox", "edit", DRAFT, "--db", db_url, "--detailed", edited)
    assert rc == 1 and out == ""
    assert "ne concorde pas avec les faits de la relance, rien n'est envoyé" in err
    assert f"version détaillée : « {typo} » : montant absent des faits de la relance" in err
    assert f"montants connus : {right}" in err and "--force" in err
    assert get_draft(deps, DRAFT).status == "pending_approval" and _outbox_files() == []

    rc, out, err = _cli(
        capsys, "inbox", "edit", DRAFT, "--db", db_url, "--yes", "--detailed", edited, "--force"
    )
    assert rc == 0, err
    [eml] = _outbox_files()
    # no SMTP server: the CLI says the reminder was written, not sent, and where
    assert (
        "Relance écrite dans la boîte d'envoi locale (non envoyée : aucun serveur SMTP "
        f"configuré) : {eml}." in out
    )
    assert "Envoyé" not in out and "envoyée par SMTP" not in out
    assert "Contrôle des faits outrepassé (--force)" in out
    after = get_draft(deps, DRAFT)
    assert after.status == "sent" and after.detailed == edited
    assert "contrôle des faits outrepassé par le gérant (owner)" in after.decision_note
    assert f"« {typo} »" in after.decision_note

    rc, out, _ = _cli(capsys, "inbox", "show", DRAFT, "--db", db_url, "--json")
    shown = json.loads(out)
    assert shown["status"] == "sent" and shown["delivery"] == "file"
    assert shown["outbox_file"] == str(eml)

    rc, out, _ = _cli(capsys, "mail-outbox", "--db", db_url, "--json")
    listing = json.loads(out)
    [m] = listing["messages"]
    assert (m["state"], m["delivery"], m["outbox_file"]) == ("sent", "file", str(eml))
    assert listing["counts"]["sent"] == 1 and listing["sent_by"] == {"smtp": 0, "file": 1}
    rc, out, _ = _cli(capsys, "mail-outbox", "--db", db_url)
    assert f"#{m['id']:<4} écrit (non envoyé) relance " in out
    assert "sent:" not in out and "reminder" not in out
    assert (
        f"écrit dans la boîte d'envoi locale (non envoyé : aucun serveur SMTP configuré) : {eml}"
        in out
    )
    assert "1 message écrit dans la boîte d'envoi locale et non envoyé" in out


def _editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR: a script that rewrites the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "text = p.read_text(encoding='utf-8')\n" + body,
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


def test_edit_without_text_opens_the_editor_on_the_current_text(
    db_url, tmp_path, capsys, monkeypatch
):
    from khazna.agents.inbox import get_draft

    deps = _drafted(db_url, tmp_path)
    before = get_draft(deps, DRAFT)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    rc, _, err = _cli(capsys, "inbox", "edit", DRAFT, "--db", db_url, "--yes")
    assert rc == 1 and "définissez $EDITOR" in err

    # saved unchanged: nothing is sent
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv(
        "EDITOR", _editor(tmp_path, f"pathlib.Path({str(seen)!r}).write_text(text)\n")
    )
    rc, _, err = _cli(capsys, "inbox", "edit", DRAFT, "--db", db_url, "--yes")
    assert rc == 1 and "Aucune modification : rien n'est envoyé." in err
    opened = seen.read_text()
    assert f"OBJET: {before.subject}\n---COURT---\n{before.short.strip()}\n" in opened
    assert before.detailed.strip() in opened and "ENVOYÉE" in opened
    assert get_draft(deps, DRAFT).status == "pending_approval" and _outbox_files() == []

    # a marker deleted: refused, nothing sent
    monkeypatch.setenv(
        "EDITOR", _editor(tmp_path, "p.write_text(text.replace('---COURT---', ''))\n")
    )
    rc, _, err = _cli(capsys, "inbox", "edit", DRAFT, "--db", db_url, "--yes")
    assert rc == 1 and "repères" in err and _outbox_files() == []

    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            "head, sep, detailed = text.partition('---DÉTAILLÉ---')\n"
            "p.write_text(head + sep + detailed.replace('Madame, Monsieur,', "
            "'Cher Monsieur Benali,', 1), encoding='utf-8')\n",
        ),
    )
    rc, out, err = _cli(capsys, "inbox", "edit", DRAFT, "--db", db_url, "--yes")
    assert rc == 0, err
    after = get_draft(deps, DRAFT)
    assert after.status == "sent" and after.edited
    assert (
        after.detailed
        == before.detailed.replace("Madame, Monsieur,", "Cher Monsieur Benali,", 1).strip()
    )
    assert after.short == before.short and after.subject == before.subject
    assert "outrepassé" not in after.decision_note
    assert len(_outbox_files()) == 1
    assert "Relance écrite dans la boîte d'envoi locale" in out


def test_an_approval_through_smtp_says_it_was_sent_by_smtp(
    db_url, tmp_path, capsys, smtp, monkeypatch
):
    import json

    deps = _drafted(db_url, tmp_path)
    monkeypatch.setenv("KHAZNA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KHAZNA_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("KHAZNA_SMTP_SECURITY", "none")
    monkeypatch.setenv("KHAZNA_MAIL_FROM", "tresorerie@atlas.example.dz")
    rc, out, err = _cli(capsys, "inbox", "approve", DRAFT, "--db", db_url, "--yes")
    assert rc == 0, err
    assert len(smtp.accepted) == 1
    assert f"Relance envoyée par SMTP (127.0.0.1:{smtp.port}) à compta@sonatel.example.dz" in out
    assert "boîte d'envoi locale" not in out
    rc, out, _ = _cli(capsys, "mail-outbox", "--db", db_url, "--json")
    listing = json.loads(out)
    assert listing["messages"][0]["delivery"] == "smtp" and listing["sent_by"]["smtp"] == 1
    assert listing["messages"][0]["outbox_file"] == ""
    del deps


def test_a_formal_notice_asks_before_it_leaves_from_the_command_line(db_url, tmp_path):
    """Issue 13.1: ``inbox approve`` on a level-3 draft asks « Envoyer la mise en demeure à
    … ? » (as the web asks a second click). No answer or « n »: nothing leaves and the draft
    still waits; « o » sends it; ``--yes`` answers in advance."""
    from khazna.agents.inbox import get_draft

    deps = _drafted(db_url, tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KHAZNA_SMTP")},
        "KHAZNA_HOME": str(tmp_path / "home"),
    }
    outbox = tmp_path / "home" / "outbox"

    def approve(answer: str | None, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "khazna.cli", "inbox", "approve", DRAFT, "--db", db_url, *extra],
            env=env, input=answer, stdin=None if answer is not None else subprocess.DEVNULL,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    for answer in (None, "", "n\n", "non\n"):
        done = approve(answer)
        assert done.returncode == 1, (answer, done.stdout, done.stderr)
        assert (
            "Envoyer la mise en demeure à Sonatel SPA (compta@sonatel.example.dz) ?" in done.stderr
        )
        assert "acte formel" in done.stderr and "jours" not in done.stdout
        assert (
            "relance non confirmée (mise en demeure, ou RIB invalide), rien n'est envoyé"
            in done.stderr
        )
        assert get_draft(deps, DRAFT).status == "pending_approval"
        assert not outbox.exists() or list(outbox.glob("*.eml")) == []
    done = approve("o\n")
    assert done.returncode == 0, done.stderr
    assert "boîte d'envoi locale" in done.stdout
    assert get_draft(deps, DRAFT).status == "sent"
    assert len(list(outbox.glob("*.eml"))) == 1


def test_yes_answers_the_formal_notice_in_advance_and_a_lower_level_never_asks(
    db_url, tmp_path, capsys
):
    from khazna.agents.inbox import confirmation_question, get_draft, needs_confirmation

    deps = _drafted(db_url, tmp_path)
    d = get_draft(deps, DRAFT)
    assert needs_confirmation(d) and confirmation_question(d).startswith(
        "Envoyer la mise en demeure à Sonatel SPA"
    )
    assert not needs_confirmation(d.model_copy(update={"level": 2}))
    assert not needs_confirmation(d.model_copy(update={"status": DraftStatus.SENT}))
    rc, out, err = _cli(capsys, "inbox", "approve", DRAFT, "--db", db_url)
    assert (
        rc == 1 and "non confirmée" in err and get_draft(deps, DRAFT).status == "pending_approval"
    )
    rc, out, err = _cli(capsys, "inbox", "approve", DRAFT, "--db", db_url, "--yes")
    assert rc == 0 and "Envoyer la mise en demeure" not in err
    assert get_draft(deps, DRAFT).status == "sent"
