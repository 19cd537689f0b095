"""What the agents' nodes need from outside, passed in when a run starts (never globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from khazna.agents.usage import UsageCounter
from khazna.ledger.db import Ledger
from khazna.mail.messaging import channel_transport_from_env
from khazna.mail.transport import MailSettings, Transport, make_transport

if TYPE_CHECKING:  # for annotations only: langchain_core and chromadb/numpy cost ~1 s at start-up
    from langchain_core.language_models import BaseChatModel

    from khazna.agents.llm import ModelClock
    from khazna.memory.store import ClientMemory


@dataclass
class AgentDeps:
    ledger: Ledger
    transport: Transport | None = None  # None → built from the environment
    memory: ClientMemory | None = None
    model: BaseChatModel | None = None  # a LangChain chat model, or None: the offline writer
    as_of: date | None = None
    usage: UsageCounter | None = None
    # a time.monotonic() by which every model call must end (a question's or a run's
    # budget, khazna.config.model_limits); None: each caller's own default
    deadline: float | None = None
    # a run's model path: its budget, the time waited on the model, its timeouts
    # (khazna.agents.llm.ModelClock, set by run_cycle); None outside a run
    model_clock: ModelClock | None = None
    # what a person may see about the run: make_deps records the configuration (key masked)
    notes: list[str | dict[str, object]] = field(default_factory=list)
    # seconds each step of a run took (specialists by name, and the run's own steps):
    # ``khazna run --json`` prints them as ``timings``
    timings: dict[str, float] = field(default_factory=dict)
    # CPU seconds of each specialist's own thread (``--json``'s ``cpu``, beside ``timings``)
    cpu_timings: dict[str, float] = field(default_factory=dict)

    # the WhatsApp / SMS transports, by channel; a channel missing here is built from the
    # environment (None when not configured: the owner sends by hand, wa.me link)
    channel_transports: dict[str, Transport | None] = field(default_factory=dict)

    def channel_transport(self, channel: str) -> Transport | None:
        if channel == "email":
            return self.mail_transport()
        if channel not in self.channel_transports:
            self.channel_transports[channel] = channel_transport_from_env(channel)
        return self.channel_transports[channel]

    def mail_transport(self) -> Transport:
        if self.transport is None:
            self.transport = make_transport(MailSettings.from_env())
        return self.transport
