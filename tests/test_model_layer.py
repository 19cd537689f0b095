"""The model layer: configuration, fact checking, the chat model, usage and ``khazna doctor``.

ChatOpenAI talks over real HTTP to the stub server of ``openai_stub.py``; no network, no key.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel, Field

from khazna.agents.configuration import Configuration, ConfigurationError, mask_key
from khazna.agents.factcheck import Facts, check_text, extract_mentions
from khazna.agents.llm import build_chat_model, describe_error
from khazna.agents.usage import UsageCounter

try:  # rootdir-relative when tests/ is a plain folder, package-relative otherwise
    from openai_stub import OpenAIStub, openai_stub  # noqa: F401
except ImportError:  # pragma: no cover
    from tests.openai_stub import OpenAIStub, openai_stub  # noqa: F401

MODEL_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "KHAZNA_MODEL",
    "KHAZNA_TEMPERATURE",
    "KHAZNA_MODEL_TIMEOUT",
    "KHAZNA_MODEL_TIMEOUT_S",
    "KHAZNA_MODEL_MAX_RETRIES",
    "KHAZNA_WRITER",
    "KHAZNA_SMTP_HOST",
    "KHAZNA_DB_URL",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for var in MODEL_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path / "home"))


FACTS = Facts(
    amounts={"total": Decimal("1234567.89")},
    dates={"due_date": date(2026, 10, 12)},
    counts={"invoice_count": 2},
    ids={"invoices": ["F2026-0142", "F2026-0143"]},
    names={"client": "SARL 2M Bâtiment", "company": "Khazna Démo EURL"},
    emails={"contact_email": "compta@demo.dz"},
)
REQUIRED = ["total", "invoices", "due_date"]
GOOD = (
    "Bonjour SARL 2M Bâtiment, nos 2 factures F2026-0142 et F2026-0143, d'un total de "
    "1 234 567,89 DA, sont échues depuis le 12/10/2026. Écrivez-nous à compta@demo.dz. "
    "Khazna Démo EURL"
)
WRONG = GOOD.replace("1 234 567,89 DA", "1 234 568,00 DA")


def chat(stub: OpenAIStub, **kw):
    cfg = Configuration(
        writer="model",
        model="stub-model",
        base_url=stub.base_url,
        api_key="sk-test-0123456789",
        max_retries=kw.pop("max_retries", 0),
        timeout=kw.pop("timeout", 10.0),
    )
    return build_chat_model(cfg, **kw)


# --- configuration ---------------------------------------------------------------------------


def test_configuration_from_env():
    assert Configuration.from_env({}).writer == "offline"
    assert build_chat_model(Configuration.from_env({})) is None
    env = {
        "OPENAI_API_KEY": "sk-abcdefghijklmnop",
        "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1",
        "KHAZNA_MODEL": "qwen2.5:7b",
        "KHAZNA_TEMPERATURE": "0",
        "KHAZNA_MODEL_MAX_RETRIES": "5",
    }
    cfg = Configuration.from_env(env)
    assert (cfg.writer, cfg.model, cfg.temperature, cfg.max_retries) == (
        "model",
        "qwen2.5:7b",
        0,
        5,
    )
    assert cfg.describe()["api_key"] == "sk-…mnop"
    assert "abcdefghijklmnop" not in json.dumps(cfg.describe()) + repr(cfg)
    assert Configuration.from_env({**env, "KHAZNA_WRITER": "offline"}).writer == "offline"
    run = Configuration.from_env(env, {"configurable": {"model": "llama3", "temperature": 0.7}})
    assert (run.model, run.temperature) == ("llama3", 0.7)
    with pytest.raises(ConfigurationError, match="KHAZNA_TEMPERATURE"):
        Configuration.from_env({**env, "KHAZNA_TEMPERATURE": "hot"})
    with pytest.raises(ConfigurationError, match="KHAZNA_WRITER"):
        Configuration.from_env({**env, "KHAZNA_WRITER": "gpt"})
    assert mask_key("short") == "*****" and mask_key(None) is None


def test_build_chat_model_settings():
    cfg = Configuration.from_env(
        {"OPENAI_API_KEY": "sk-abcdefghijklmnop", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    )
    model = build_chat_model(cfg)
    assert model.model_name == "gpt-4o-mini"
    assert model.openai_api_base == "http://127.0.0.1:9/v1"
    assert model.openai_api_key.get_secret_value() == "sk-abcdefghijklmnop"
    assert (model.max_retries, model.use_responses_api) == (1, False)
    # each of connect, write, pool and read bounded (connect to 3 s): tests/test_model_timeout.py
    timeout = model.request_timeout
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (3.0, 8.0, 8.0, 8.0)


def test_importing_the_agents_modules_builds_nothing():
    code = (
        "import sys, khazna.agents.configuration as c, khazna.agents.llm as l, "
        "khazna.agents.dunning.model_writer as w, khazna.agents.factcheck as f, khazna.agents.usage as u\n"
        "from khazna.commands import doctor_cmd\n"
        "assert 'langchain_openai' not in sys.modules, 'a client library was imported'\n"
        "bad = [n for m in (c, l, w, f, u, doctor_cmd) for n, v in vars(m).items()\n"
        "       if isinstance(v, c.Configuration) or type(v).__name__ == 'ChatOpenAI']\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    env = {"OPENAI_API_KEY": "sk-import-time", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "clean"


# --- fact checking ---------------------------------------------------------------------------


def test_check_text_accepts_the_facts_in_their_usual_forms():
    assert check_text(GOOD, FACTS, REQUIRED) == []
    other = "Total 1234567.89 DA au 12 octobre 2026 : F2026-0142, F2026-0143."
    assert check_text(other, FACTS, REQUIRED) == []
    arabic = "المجموع ١٬٢٣٤٬٥٦٧٫٨٩ دج، الفواتير F2026-0142 و F2026-0143، تاريخ الاستحقاق ١٢/١٠/٢٠٢٦"
    assert check_text(arabic, FACTS, REQUIRED) == []


def test_check_text_finds_every_kind_of_invented_figure():
    text = (
        "Total 1 234 568,00 DA (facture F2026-0199), 3 factures, échue le 13/10/2026, "
        "pénalité 10 %, écrire à pirate@evil.example"
    )
    found = {(p.kind, p.found) for p in check_text(text, FACTS, REQUIRED)}
    assert {
        ("unknown_amount", "1 234 568,00 DA"),
        ("unknown_invoice", "F2026-0199"),
        ("unknown_number", "3"),
        ("unknown_date", "13/10/2026"),
        ("unknown_rate", "10 %"),
        ("unknown_email", "pirate@evil.example"),
        ("missing_required", "F2026-0142"),
        ("missing_required", "12/10/2026"),
    } <= found


def test_check_text_reads_names_and_words_without_false_alarms():
    # the "2" of "2M" is part of a name, "DAns" is not a currency, a year of a fact date is fine
    text = "SARL 2M Bâtiment : dans l'attente de 2 règlements en 2026."
    assert check_text(text, FACTS) == []
    kinds = [m.kind for m in extract_mentions("12 000 DA, 5,5 %, le 1er octobre 2026, F2026-7")]
    assert kinds == ["invoice", "date", "amount", "rate"]
    assert check_text("   ", FACTS)[0].kind == "empty_text"
    with pytest.raises(KeyError):
        check_text(GOOD, FACTS, ["no_such_fact"])


# --- the chat model against the stub --------------------------------------------------------


def test_a_request_goes_to_the_configured_model(openai_stub):
    openai_stub.reply_text(GOOD)
    assert chat(openai_stub).invoke("Écris la relance.").text == GOOD
    (body,) = openai_stub.bodies
    assert body["model"] == "stub-model" and body["stream"] is False
    assert openai_stub.requests[0].headers["authorization"] == "Bearer sk-test-0123456789"


def test_rate_limit_then_ok_with_retries(openai_stub):
    openai_stub.reply_error(429, "slow down", retry_after_ms=10).reply_text(GOOD)
    assert chat(openai_stub, max_retries=1).invoke("Écris la relance.").text == GOOD
    assert len(openai_stub.bodies) == 2  # the HTTP retry is inside one model call


def test_rate_limit_without_retries_is_described(openai_stub):
    openai_stub.reply_error(429, "slow down")
    with pytest.raises(Exception) as err:
        chat(openai_stub).invoke("Écris la relance.")
    assert "RateLimitError (HTTP 429)" in describe_error(err.value)
    assert len(openai_stub.bodies) == 1


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (lambda s: s.reply_error(500, "boom"), "HTTP 500"),
        (lambda s: s.reply_raw(b"{not json"), "JSONDecodeError"),
    ],
)
def test_server_errors_and_bad_answers_raise(openai_stub, script, expected):
    script(openai_stub)
    with pytest.raises(Exception) as err:
        chat(openai_stub).invoke("Écris la relance.")
    assert expected in describe_error(err.value)


def test_timeout_fails_quickly(openai_stub):
    openai_stub.reply_text(GOOD, delay=5.0)
    start = time.perf_counter()
    with pytest.raises(Exception) as err:
        chat(openai_stub, timeout=0.5).invoke("Écris la relance.")
    assert time.perf_counter() - start < 4
    assert "Timeout" in describe_error(err.value)


def test_the_default_model_is_used_without_khazna_model(openai_stub):
    openai_stub.reply_text(GOOD)
    cfg = Configuration.from_env(
        {"OPENAI_API_KEY": "sk-x-12345678", "OPENAI_BASE_URL": openai_stub.base_url}
    )
    model = build_chat_model(cfg)
    assert model is not None and model.invoke("Écris la relance.").text == GOOD
    assert openai_stub.bodies[0]["model"] == "gpt-4o-mini"


# --- protocol features: tools, structured output, streaming, usage ---------------------------


class InvoiceBalance(BaseModel):
    """Open balance of one invoice."""

    number: str = Field(description="invoice number, e.g. F2026-0142")


def test_tool_calling_round_trip(openai_stub):
    from langchain_core.messages import HumanMessage, ToolMessage

    openai_stub.reply_tool_call("InvoiceBalance", {"number": "F2026-0142"}, call_id="call_1")
    openai_stub.reply_text("Il reste 1 234 567,89 DA sur F2026-0142.")
    model = chat(openai_stub).bind_tools([InvoiceBalance])
    history = [HumanMessage("Que reste-t-il sur F2026-0142 ?")]
    first = model.invoke(history)
    assert first.tool_calls == [
        {
            "name": "InvoiceBalance",
            "args": {"number": "F2026-0142"},
            "id": "call_1",
            "type": "tool_call",
        }
    ]
    history += [first, ToolMessage('{"open": "1234567.89"}', tool_call_id="call_1")]
    final = model.invoke(history)
    assert final.text == "Il reste 1 234 567,89 DA sur F2026-0142."
    sent_tools = openai_stub.bodies[0]["tools"]
    assert sent_tools[0]["type"] == "function"
    assert sent_tools[0]["function"]["name"] == "InvoiceBalance"
    assert "number" in sent_tools[0]["function"]["parameters"]["properties"]
    assistant, tool = openai_stub.bodies[1]["messages"][1:]
    assert assistant["content"] is None
    assert assistant["tool_calls"][0]["function"]["name"] == "InvoiceBalance"
    assert tool == {"role": "tool", "content": '{"open": "1234567.89"}', "tool_call_id": "call_1"}


class Verdict(BaseModel):
    status: str
    count: int


def test_structured_output_json_schema_and_json_mode(openai_stub):
    openai_stub.reply_json({"status": "ok", "count": 3})
    openai_stub.reply_json({"status": "tension", "count": 1})
    got = chat(openai_stub).with_structured_output(Verdict).invoke("verdict?")
    assert got == Verdict(status="ok", count=3)
    fmt = openai_stub.bodies[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Verdict"
    assert fmt["json_schema"]["strict"] is True
    assert set(fmt["json_schema"]["schema"]["properties"]) == {"status", "count"}
    got = (
        chat(openai_stub).with_structured_output(Verdict, method="json_mode").invoke("json please")
    )
    assert got == Verdict(status="tension", count=1)
    assert openai_stub.bodies[1]["response_format"] == {"type": "json_object"}
    openai_stub.reply_tool_call("Verdict", {"status": "a_surveiller", "count": 2})
    got = chat(openai_stub).with_structured_output(Verdict, method="function_calling").invoke("?")
    assert got == Verdict(status="a_surveiller", count=2)
    body = openai_stub.bodies[2]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Verdict"}}
    assert body["parallel_tool_calls"] is False and "response_format" not in body


def test_streaming_and_usage_are_counted(openai_stub):
    counter = UsageCounter()
    openai_stub.reply_text("Bonjour et merci.")
    openai_stub.reply_text("Deuxième réponse.", usage={"prompt_tokens": 11, "completion_tokens": 7})
    model = chat(openai_stub, callbacks=[counter])
    text = "".join(str(c.text) for c in model.stream("salut"))
    assert text == "Bonjour et merci."
    assert openai_stub.bodies[0]["stream"] is True
    assert openai_stub.bodies[0]["stream_options"] == {"include_usage": True}
    model.invoke("encore")
    usage = counter.snapshot()
    assert usage.calls == 2 and usage.calls_without_usage == 0
    assert usage.prompt_tokens == sum(u["prompt_tokens"] for u in openai_stub.sent_usage)
    assert usage.completion_tokens == sum(u["completion_tokens"] for u in openai_stub.sent_usage)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert usage.by_model["stub-model"].calls == 2


def test_calls_are_counted_including_failures(openai_stub):
    counter = UsageCounter()
    openai_stub.reply_text(WRONG).reply_error(500, "down")
    model = chat(openai_stub, callbacks=[counter])
    assert model.invoke("Écris la relance.").text == WRONG
    with pytest.raises(Exception, match="down"):
        model.invoke("Écris la relance.")
    usage = counter.snapshot()
    assert (usage.calls, usage.failed_calls) == (1, 1)
    assert usage.total_tokens == openai_stub.sent_usage[0]["total_tokens"]


# --- khazna doctor ---------------------------------------------------------------------------


def doctor(capsys, *argv: str) -> tuple[int, dict]:
    from khazna.cli import main

    rc = main(["doctor", "--json", *argv])
    out = capsys.readouterr().out
    return rc, json.loads(out)


def test_doctor_offline(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("KHAZNA_OWNER_EMAIL", raising=False)
    rc, report = doctor(capsys, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert rc == 0 and report["ok"] and report["writer"] == "offline"
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["model"]["detail"] == "rédaction hors ligne : modèles de texte, sans réseau"
    assert checks["database"]["ok"] and checks["home"]["ok"]
    assert checks["mail"]["detail"].startswith("boîte d'envoi locale")
    assert set(checks) == {
        "model",
        "database",
        "books",
        "home",
        "vector_store",
        "embedder",
        "mail",
        "owner_email",
    }
    # the active transport is named, and a file outbox is a warning: nothing is sent
    assert report["mail_transport"] == "file"
    assert not checks["mail"]["ok"] and checks["mail"]["level"] == "warning"
    assert "rien n'est envoyé" in checks["mail"]["detail"]
    assert not checks["owner_email"]["ok"] and checks["owner_email"]["level"] == "warning"
    assert "ne partent vers personne" in checks["owner_email"]["detail"]


def test_doctor_names_smtp_and_the_owner(capsys, tmp_path, monkeypatch):
    from khazna.cli import main

    monkeypatch.setenv("KHAZNA_SMTP_HOST", "smtp.example.dz")
    monkeypatch.setenv("KHAZNA_SMTP_PORT", "587")
    monkeypatch.setenv("KHAZNA_SMTP_SECURITY", "starttls")
    monkeypatch.setenv("KHAZNA_MAIL_FROM", "tresorerie@atlas.example.dz")
    monkeypatch.setenv("KHAZNA_OWNER_EMAIL", "gerant@atlas.example.dz")
    rc, report = doctor(capsys, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    checks = {c["name"]: c for c in report["checks"]}
    assert rc == 0 and report["mail_transport"] == "smtp"
    assert (
        checks["mail"]["ok"]
        and "envoi par SMTP : smtp.example.dz:587" in (checks["mail"]["detail"])
    )
    assert checks["owner_email"] == {
        "name": "owner_email",
        "ok": True,
        "level": "warning",
        "detail": "rapports et alertes envoyés à gerant@atlas.example.dz",
    }
    monkeypatch.delenv("KHAZNA_SMTP_HOST")
    monkeypatch.delenv("KHAZNA_OWNER_EMAIL")
    assert main(["doctor", "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 0
    out = capsys.readouterr().out
    assert "courrier : boîte d'envoi locale (fichiers .eml, rien n'est envoyé" in out
    assert "attention adresse du gérant" in out and "KHAZNA_OWNER_EMAIL non défini" in out


def test_doctor_against_the_stub(capsys, monkeypatch, openai_stub):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-doctor-secret-9876")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_stub.base_url)
    monkeypatch.setenv("KHAZNA_MODEL", "stub-model")
    openai_stub.reply_text("OK")
    rc, report = doctor(capsys)
    assert rc == 0 and report["writer"] == "model" and report["api_key"] == "sk-…9876"
    model = next(c for c in report["checks"] if c["name"] == "model")
    assert model["ok"] and "stub-model sur http://127.0.0.1:" in model["detail"]
    assert "sk-doctor-secret" not in json.dumps(report)
    assert len(openai_stub.bodies) == 1 and openai_stub.bodies[0]["model"] == "stub-model"

    openai_stub.reply_error(500, "model not loaded")
    rc, report = doctor(capsys)
    assert rc == 1 and not report["ok"]
    assert "HTTP 500" in report["checks"][0]["detail"]


def test_doctor_fails_on_a_bad_database_and_human_output(capsys, tmp_path):
    from khazna.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    rc = main(["doctor", "--db", f"sqlite:///{blocker / 'sub' / 'x.db'}"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "ÉCHEC     base de données" in out and "des contrôles essentiels ont échoué" in out
