"""Opening a ledger: migrated when behind, and no Alembic at all when already at head."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory

from khazna.ledger import migrate
from khazna.ledger.db import Ledger, head_revision, stored_revision


def test_head_revision_is_alembics_head(tmp_path):
    led = Ledger(f"sqlite:///{tmp_path / 'a.db'}", migrate=False)
    script = ScriptDirectory.from_config(migrate.alembic_config(led.engine))
    assert head_revision() == script.get_current_head()


def test_a_new_ledger_is_migrated_and_an_upgraded_one_is_not_touched(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    led = Ledger(url)
    assert stored_revision(led.engine) == head_revision()
    led.dispose()

    def boom(engine):
        raise AssertionError("upgrade_to_head called on a ledger already at head")

    monkeypatch.setattr(migrate, "upgrade_to_head", boom)
    Ledger(url).dispose()  # at head: one SELECT, no migration


def test_a_ledger_behind_head_is_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    led = Ledger(url, migrate=False)
    script = ScriptDirectory.from_config(migrate.alembic_config(led.engine))
    before = script.get_revision(script.get_current_head()).down_revision
    command.upgrade(migrate.alembic_config(led.engine), before)  # one migration behind
    assert stored_revision(led.engine) == before
    led.dispose()
    led = Ledger(url)
    assert stored_revision(led.engine) == head_revision()
    led.dispose()
