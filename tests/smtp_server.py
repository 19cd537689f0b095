"""A real SMTP server for tests (aiosmtpd), recording what it accepts."""

from __future__ import annotations

import asyncio
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """An aiosmtpd handler: answers DATA with the scripted replies first, then accepts."""

    def __init__(self) -> None:
        self.accepted: list = []
        self.script: list[str] = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: ARG002
        if self.script:
            reply = self.script.pop(0)
            if not reply.startswith("250"):
                return reply
        self.accepted.append(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)  # the answer comes after the client gave up
        return "250 2.0.0 Ok: queued as 4F2A"

    def parsed(self, i: int = 0):
        return email.message_from_bytes(self.accepted[i].content, policy=policy.default)


@pytest.fixture
def smtp():
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()
