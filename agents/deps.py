"""What the agents' nodes need from outside, passed in when a run starts (never globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from khazna.ledger.db import Ledger


@dataclass
class AgentDeps:
    ledger: Ledger
    transport: Any = None  # khazna.mail.transport.Transport; None → built from the environment
    memory: Any = None  # khazna.memory ClientMemory, or None
    model: Any = None  # a LangChain chat model, or None: the offline writer
    as_of: date | None = None
    usage: Any = None  # khazna.agents.usage.UsageCounter
    # what a person may see about the run: make_deps records the configuration (key masked)
    notes: list[str | dict[str, Any]] = field(default_factory=list)

    def mail_transport(self):
        if self.transport is None:
            from khazna.mail.transport import MailSettings, make_transport

            self.transport = make_transport(MailSettings.from_env())
        return self.transport
