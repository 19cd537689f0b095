"""Issue 15: a full disk is said in words (what could not be written, that nothing half
written was kept), in the CLI and on the web, never as a traceback.

Real failures, no stub: a file written to /dev/full (the kernel's ENOSPC), and a SQLite
ledger that may not grow (``PRAGMA max_page_count`` at its current size: SQLITE_FULL, as a
full disk gives)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from khazna.cli import main
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Invoice
from khazna.ledger.storage import storage_full
from khazna.ledger.tables_receipts import Receipt
from khazna.web.app import create_app
from khazna.web.users import add_user
from tests.bundles import FILES, write_bundle
from tests.web_helpers import OWNER, csrf_of, login

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")


def big_bundle(root: Path) -> Path:
    """The test bundle with 3 000 more expenses: more pages than the empty tables have."""
    rows = "".join(
        f"X{i:05d},2026-02-{1 + i % 28:02d},,Caisse,fournitures,{100 + i}.00,especes,,,,,no,"
        f"Fournitures de bureau lot {i}\n"
        for i in range(3000)
    )
    return write_bundle(root, expenses_csv=FILES["expenses.csv"] + rows)


@contextmanager
def no_room(engine) -> Iterator[None]:
    """Every new connection of ``engine`` may not grow the database file."""

    def cap(dbapi_connection, _record) -> None:
        cur = dbapi_connection.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {pages}")
        cur.close()

    engine.dispose()
    event.listen(engine, "connect", cap)
    try:
        yield
    finally:
        event.remove(engine, "connect", cap)
        engine.dispose()


def test_an_export_onto_a_full_disk_says_so_and_leaves_no_half_bundle(tmp_path):
    """The files are written beside the target and moved in once all are written: a disk
    that fills up half way leaves no bundle that would import as fewer books. The limit is
    the kernel's own (RLIMIT_FSIZE: "File too large", as a quota gives), on a real process."""
    url = f"sqlite:///{tmp_path / 'l.db'}"
    import_bundle(Ledger(url), big_bundle(tmp_path / "b"))
    out = tmp_path / "exports" / "bundle"

    def small_files() -> None:  # expenses.csv (~300 KB) cannot be written whole
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    cmd = [sys.executable, "-m", "khazna.cli", "export", str(out), "--db", url]
    done = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "khazna: erreur : espace disque plein en écrivant" in done.stderr
    assert "(File too large)" in done.stderr and "libérez de la place" in done.stderr
    assert "Traceback" not in done.stderr
    assert list((tmp_path / "exports").iterdir()) == []  # neither the bundle nor its draft

    assert main(["export", str(out), "--db", url]) == 0  # with room, the same command
    assert (out / "expenses.csv").read_text(encoding="utf-8").count("\n") == 3001 + 1
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["bundle"]


def test_an_import_into_a_full_database_keeps_nothing_and_says_so(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(url)  # the schema is there; the books will not fit
    with no_room(ledger.engine):
        with pytest.raises(Exception) as caught:
            import_bundle(ledger, big_bundle(tmp_path / "b"))
    message = storage_full(caught.value)
    assert message is not None and "rien de cette opération n'a été enregistré" in message
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 0
    ledger.dispose()


def test_the_cli_import_into_a_full_database(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    Ledger(url).dispose()
    real = Ledger.__init__

    def capped(self, *args, **kwargs):
        real(self, *args, **kwargs)
        self._room = no_room(self.engine)
        self._room.__enter__()

    monkeypatch.setattr(Ledger, "__init__", capped)
    assert main(["import", str(big_bundle(tmp_path / "b")), "--db", url]) == 1
    err = capsys.readouterr().err
    assert "khazna: erreur : espace disque plein : la base du grand livre n'a pas pu écrire" in err
    assert "Traceback" not in err


def test_a_receipt_upload_onto_a_full_database_gets_a_page(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(url)
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    with ledger.session() as s:
        add_user(s, OWNER[0], "owner", OWNER[1])
    app = create_app(url, secret="f" * 40)
    with TestClient(app) as web:
        login(web, OWNER)
        token = csrf_of(web, "/receipts?as_of=2026-03-05")
        with no_room(app.state.ledger.engine):
            r = web.post(
                "/receipts/E001?as_of=2026-03-05",
                data={"csrf": token},
                files={
                    "file": ("bulletin.pdf", b"%PDF-1.4\n" + os.urandom(200_000), "application/pdf")
                },
                follow_redirects=False,
            )
        assert r.status_code == 507
        assert "Espace disque plein" in r.text and "rien de cette opération" in r.text
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(Receipt)) == 0
    app.state.ledger.dispose()
    ledger.dispose()


def test_other_errors_are_not_called_a_full_disk():
    assert storage_full(OSError(13, "Permission denied", "/x")) is None
    assert storage_full(ValueError("database is locked")) is None
    full = OSError(28, "No space left on device", "/data/x.pdf")
    try:
        try:
            raise full
        except OSError as inner:
            raise RuntimeError("while writing") from inner
    except RuntimeError as outer:
        assert "en écrivant /data/x.pdf" in (storage_full(outer) or "")
