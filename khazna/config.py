"""Where Khazna keeps its data, read from the environment when a command starts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def khazna_home() -> Path:
    """``$KHAZNA_HOME``, else a per-user data folder (``~/.local/share/khazna``)."""
    env = os.environ.get("KHAZNA_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "khazna"


def default_db_url() -> str:
    return f"sqlite:///{khazna_home() / 'khazna.db'}"


def resolve_db_url(cli_value: str | None) -> str:
    """``--db`` wins over ``KHAZNA_DB_URL``, which wins over the default SQLite file."""
    return cli_value or os.environ.get("KHAZNA_DB_URL") or default_db_url()


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def memory(self) -> Path:
        return self.home / "memory"

    @property
    def checkpoints(self) -> Path:
        return self.home / "checkpoints.sqlite"

    @property
    def bank_mappings(self) -> Path:
        return self.home / "bank_mappings.json"

    @classmethod
    def from_env(cls) -> Paths:
        return cls(home=khazna_home())
