"""The settings read from the environment, each in one place (khazna/config.py)."""

from __future__ import annotations

from pathlib import Path

from khazna import config
from khazna.ledger.models import Company
from khazna.mail.message import sender_address


def test_accessors_read_the_given_environ():
    env = {
        "KHAZNA_OWNER_EMAIL": "  gerant@atlas.dz ",
        "KHAZNA_MAIL_FROM": "tresorerie@atlas.dz",
        "KHAZNA_HOME": "/srv/khazna",
        "KHAZNA_SECRET_KEY": "k",
    }
    assert config.owner_email(env) == "gerant@atlas.dz"
    assert config.mail_from(env) == "tresorerie@atlas.dz"
    assert config.web_secret_key(env) == "k"
    assert config.khazna_home(env) == Path("/srv/khazna") == config.home_override(env)
    assert config.Paths.from_env(env).evals == Path("/srv/khazna/evals")
    assert config.resolve_db_url(None, env) == "sqlite:////srv/khazna/khazna.db"
    assert config.resolve_db_url("sqlite://", env) == "sqlite://"
    empty: dict[str, str] = {"XDG_DATA_HOME": "/data"}
    assert config.owner_email(empty) == config.mail_from(empty) == ""
    assert config.home_override(empty) is None
    assert config.khazna_home(empty) == Path("/data/khazna")


def test_accessors_default_to_the_process_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "owner@atlas.dz")
    monkeypatch.delenv("KHAZNA_MAIL_FROM", raising=False)
    assert config.owner_email() == "owner@atlas.dz"
    assert config.khazna_home() == tmp_path / "khazna-home"  # tests/conftest.py sets it


def test_sender_address_falls_back_to_the_company_then_localhost(monkeypatch):
    company = Company(id=1, name="Atlas", email="contact@atlas.dz")
    assert sender_address(company, {"KHAZNA_MAIL_FROM": "t@atlas.dz"}) == "t@atlas.dz"
    assert sender_address(company, {}) == "contact@atlas.dz"
    assert sender_address(None, {}) == "khazna@localhost"
    monkeypatch.setenv("KHAZNA_MAIL_FROM", "env@atlas.dz")
    assert sender_address(company) == "env@atlas.dz"
