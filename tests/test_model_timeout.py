"""A model server that accepts the connection and never answers: ``khazna ask`` falls back to
the offline answer within the question's budget and says the model did not answer in time.

The server is a real TCP socket in a thread; nothing in the model client is stubbed."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest

from khazna.agents.configuration import Configuration
from khazna.agents.llm import build_chat_model, request_seconds
from khazna.cli import main
from khazna.config import ModelLimits, model_limits
from khazna.money import format_dzd
from tests.bundles import write_bundle


class SilentServer:
    """Accepts every connection, reads what is sent, never writes a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.accepted = 0
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self.held.append(conn)  # kept open, never answered

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for var in ("KHAZNA_MODEL_TIMEOUT", "KHAZNA_MODEL_TIMEOUT_S", "KHAZNA_MODEL_MAX_RETRIES",
                "KHAZNA_QUESTION_BUDGET_S", "KHAZNA_MODEL_BUDGET_S", "KHAZNA_WRITER",
                "KHAZNA_DB_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "home"))


def test_the_default_limits_bound_one_question_to_20_s():
    limits = model_limits({})
    assert limits == ModelLimits()
    assert limits.question_s <= 20
    # one call with its retries fits in the question's budget, and the client is built so
    assert limits.worst_request_s() <= limits.question_s
    cfg = Configuration.from_env({"OPENAI_API_KEY": "sk-test-0123456789"})
    assert (cfg.timeout, cfg.max_retries) == (limits.request_s, limits.retries)
    model = build_chat_model(cfg)
    assert request_seconds(model) == limits.request_s
    assert model.request_timeout.connect == limits.connect_s <= limits.request_s
    assert model.max_retries == limits.retries


def test_limits_from_the_environment():
    env = {"KHAZNA_MODEL_TIMEOUT_S": "2,5", "KHAZNA_MODEL_MAX_RETRIES": "0",
           "KHAZNA_QUESTION_BUDGET_S": "5", "KHAZNA_MODEL_BUDGET_S": "30"}  # fmt: skip
    assert model_limits(env) == ModelLimits(2.5, 2.5, 0, 5.0, 30.0)
    assert model_limits({"KHAZNA_MODEL_TIMEOUT": "4"}).request_s == 4  # the older name
    assert (
        Configuration.from_env({"KHAZNA_MODEL_TIMEOUT_S": "3", "KHAZNA_MODEL_TIMEOUT": "9"}).timeout
        == 3
    )
    with pytest.raises(ValueError, match="KHAZNA_MODEL_TIMEOUT_S"):
        model_limits({"KHAZNA_MODEL_TIMEOUT_S": "soon"})


def _ask(tmp_path, capsys, monkeypatch, silent: SilentServer, *extra: str):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    monkeypatch.setenv("OPENAI_BASE_URL", silent.base_url)
    monkeypatch.setenv("KHAZNA_MODEL", "silent-model")
    start = time.monotonic()
    code = main(["ask", "total des créances ?", "--db", db, "--as-of", "2026-03-31", *extra])
    return code, time.monotonic() - start, capsys.readouterr().out


def test_a_silent_model_server_falls_back_within_the_timeout(tmp_path, capsys, monkeypatch, silent):
    monkeypatch.setenv("KHAZNA_MODEL_TIMEOUT_S", "1")
    code, took, out = _ask(tmp_path, capsys, monkeypatch, silent, "--json")
    assert code == 0
    # routing then the assistant, 1 s a request and one retry each: well under the 366 s
    # it once took, and under the question's default budget of 20 s
    assert took < 15, took
    assert silent.accepted >= 1  # the client did reach the server
    answer = json.loads(out)
    assert answer["value"] == 254600  # the offline parser's answer, same figure
    assert answer["writer"] == "template"
    assert "le modèle n'a pas répondu à temps" in answer["note"]


def test_the_question_budget_bounds_many_retries(tmp_path, capsys, monkeypatch, silent):
    """Retries that would take 10 x 1 s end at the question's 3 s budget."""
    monkeypatch.setenv("KHAZNA_MODEL_TIMEOUT_S", "1")
    monkeypatch.setenv("KHAZNA_MODEL_MAX_RETRIES", "9")
    monkeypatch.setenv("KHAZNA_QUESTION_BUDGET_S", "3")
    code, took, out = _ask(tmp_path, capsys, monkeypatch, silent)
    assert code == 0
    assert took < 7, took
    assert format_dzd(Decimal("254600")) in out
    assert "le modèle n'a pas répondu à temps" in out  # the human output says it too


def test_a_run_spends_its_model_budget_then_the_templates_write(tmp_path, monkeypatch, silent):
    """``khazna run`` against the silent server: the first call times out, the run's 2 s
    budget is then spent, every later text is the template's, and the run says so."""
    from khazna.agents.inbox import list_drafts
    from khazna.agents.llm import BUDGET_NOTE, SILENT_IN_A_ROW, SILENT_NOTE
    from khazna.agents.run import make_deps, run_cycle
    from tests.test_agents_model_path import AS_OF, small_ledger

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    monkeypatch.setenv("OPENAI_BASE_URL", silent.base_url)
    monkeypatch.setenv("KHAZNA_MODEL_TIMEOUT_S", "1")
    monkeypatch.setenv("KHAZNA_MODEL_MAX_RETRIES", "0")
    monkeypatch.setenv("KHAZNA_MODEL_BUDGET_S", "2")
    deps = make_deps(small_ledger(tmp_path))
    start = time.monotonic()
    out = run_cycle(deps, AS_OF, send_report=False)
    took = time.monotonic() - start
    assert took < 15, took
    assert out["model_budget"]["seconds"] == 2 and out["model_budget"]["exhausted"] is True
    drafts = list_drafts(deps)
    assert drafts and all(d.writer == "template_fallback" for d in drafts)
    # each draft either timed out (1 s, one request each) or came after the budget was spent
    timed_out = [d for d in drafts if "Timeout" in d.writer_note]
    notes = (BUDGET_NOTE, SILENT_NOTE.format(n=SILENT_IN_A_ROW))  # spent, or stopped answering
    after = [d for d in drafts if d.writer_note in notes]
    assert after and len(timed_out) + len(after) == len(drafts)
    assert silent.accepted == len(timed_out)
