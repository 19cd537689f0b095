"""Shared fixtures: a fresh ledger on SQLite always, and on PostgreSQL when
``KHAZNA_TEST_PG_URL`` names a server (``.ci/run`` sets it when one answers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.backends import BACKENDS, fresh_db_url


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch) -> None:
    """Every test gets its own KHAZNA_HOME and no model key: tests never touch the user's data."""
    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "khazna-home"))
    monkeypatch.delenv("KHAZNA_DB_URL", raising=False)
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "KHAZNA_MODEL",
        "KHAZNA_SMTP_HOST",
        "KHAZNA_WHATSAPP_TOKEN",
        "KHAZNA_WHATSAPP_PHONE_NUMBER_ID",
        "KHAZNA_SMS_GATEWAY_URL",
        "KHAZNA_WHATSAPP_APP_SECRET",
    ):
        monkeypatch.delenv(var, raising=False)
    # a test that runs main() as the program (argv None) marks the program's start; the
    # next test's question budget would count from the start of pytest itself
    monkeypatch.setattr("khazna.config._program_start", None)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty ledger URL on each back end the machine offers."""
    yield from fresh_db_url(request.param, tmp_path)


@pytest.fixture
def another_db_url(db_url, tmp_path) -> Iterator[str]:
    """A second fresh, empty ledger URL on the same back end as ``db_url``."""
    yield from fresh_db_url(
        "sqlite" if db_url.startswith("sqlite") else "postgresql", tmp_path, "another-ledger.db"
    )


from tests.smtp_server import smtp  # noqa: E402, F401 - a real SMTP server fixture for every test module
