"""The agents' model path over real HTTP: ``make_deps`` builds a ChatOpenAI from the
environment, pointed at the OpenAI stub. The code computes figures, the model writes words:
a good answer is kept, a wrong one is retried once then replaced by the template, and the run
says so. A tiny scripted chat model (no HTTP) covers pure graph logic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.compose import compose
from khazna.agents.dunning.facts import DunningFacts
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.inbox import list_drafts
from khazna.agents.reporter.compose import compose_commentary, with_books_paragraph
from khazna.agents.reporter.facts import build_report_facts
from khazna.agents.reporter.graph import build_reporter_graph
from khazna.agents.run import ask, make_deps, run_cycle
from khazna.agents.supervisor.routing import route_by_model
from khazna.agents.usage import UsageCounter
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.tables_agents import Report
from khazna.money import format_dzd
from tests.bundles import write_bundle
from tests.openai_stub import OpenAIStub, Reply

AS_OF = date(2026, 11, 22)  # Sunday: F2026-0101 3 days late (level 1)
THURSDAY = date(2026, 11, 26)  # end of the working week: the cycle writes the report

CLIENTS = """client_id,name,kind,email,phone,language,payment_terms_days,nif,nis,rc,ai,address
C01,Laiterie Tell,pme,compta@tell.example.dz,,fr,30,,,,,Blida
C02,Mahbouba Distribution,pme,finance@mahbouba.example.dz,,ar,30,,,,,Blida
C03,Sonatel SPA,grand_compte,dfc@sonatel.example.dz,,fr,30,,,,,Hydra
"""
INVOICES = """number,client_id,issue_date,due_date,payment_method,total_ht,total_tva,timbre,total_ttc,status,credited_invoice
F2026-0101,C01,2026-10-20,2026-11-19,virement,100000.00,19000.00,0,119000.00,issued,
F2026-0102,C02,2026-10-20,2026-11-19,virement,50000.00,9500.00,0,59500.00,issued,
F2026-0103,C03,2026-10-01,2026-10-31,virement,80000.00,15200.00,0,95200.00,issued,
"""
NO_PAYMENTS = "payment_id,date,client_id,invoice_number,amount,method,reference,status\n"
NO_NOTES = "interaction_id,client_id,date,channel,direction,kind,text\n"

GOOD = """OBJET: Rappel – facture F2026-0101 – Atlas Services
---COURT---
Bonjour, la facture F2026-0101 (119 000,00 DA) est échue depuis le 19/11/2026. Merci de la régler. Atlas Services
---DÉTAILLÉ---
Bonjour,

Sauf erreur de notre part, la facture F2026-0101 du 20/10/2026, d'un montant de 119 000,00 DA, \
arrivée à échéance le 19/11/2026, reste à régler (3 jours de retard).

Merci de procéder au virement sur notre compte RIB 00300060000201930048.

Cordialement,
Atlas Services"""
WRONG = GOOD.replace("119 000,00 DA", "119 900,00 DA")
MALFORMED = "Bonjour, voici la relance : la facture F2026-0101 de 119 000,00 DA reste due."


@pytest.fixture
def stub():
    """The OpenAI-compatible stub server (tests/openai_stub.py), closed after the test."""
    server = OpenAIStub().start()
    try:
        yield server
    finally:
        server.close()


def small_ledger(tmp_path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b", clients_csv=CLIENTS, invoices_csv=INVOICES,
                                       invoice_lines_csv=None, payments_csv=NO_PAYMENTS,
                                       interactions_csv=NO_NOTES))  # fmt: skip
    return ledger


@pytest.fixture
def model_env(monkeypatch, stub):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789")
    monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
    monkeypatch.setenv("KHAZNA_MODEL", "stub-model")
    monkeypatch.setenv("KHAZNA_MODEL_MAX_RETRIES", "0")
    return stub


def draft_for(deps: AgentDeps, client_id: str = "C01"):
    build_dunning_graph().invoke(
        {"as_of": AS_OF, "run_id": "t", "client_id": client_id}, {"configurable": {"deps": deps}}
    )
    (d,) = list_drafts(deps)
    return d


# --- (a) the dunning writer over HTTP ---------------------------------------------------------


def test_make_deps_builds_the_model_from_the_environment(tmp_path, model_env):
    deps = make_deps(small_ledger(tmp_path))
    assert type(deps.model).__name__ == "ChatOpenAI" and deps.model.model_name == "stub-model"
    assert isinstance(deps.usage, UsageCounter)


def test_a_good_answer_is_kept_in_one_request(tmp_path, model_env):
    stub: OpenAIStub = model_env
    stub.reply_text(GOOD)
    deps = make_deps(small_ledger(tmp_path))
    d = draft_for(deps)
    assert (d.writer, d.writer_note) == ("model", "")
    assert d.subject == "Rappel – facture F2026-0101 – Atlas Services"
    assert d.short.startswith("Bonjour, la facture F2026-0101 (119 000,00 DA)")
    assert d.detailed.endswith("Cordialement,\nAtlas Services")
    assert d.to == ["compta@tell.example.dz"] and d.total == Decimal("119000.00")
    (body,) = stub.bodies
    assert body["model"] == "stub-model" and body["messages"][0]["role"] == "system"
    assert "Règles absolues" in body["messages"][0]["content"]
    user = body["messages"][1]["content"]
    assert '"total": "119000.00"' in user and "BROUILLON DE RÉFÉRENCE" in user
    assert stub.requests[0].headers["authorization"] == "Bearer sk-test-0123456789"
    assert deps.usage.snapshot().calls == 1
    assert deps.usage.snapshot().total_tokens == stub.sent_usage[0]["total_tokens"]


def test_a_wrong_figure_is_retried_once_then_the_template_is_used(tmp_path, model_env):
    stub: OpenAIStub = model_env
    stub.reply_text(WRONG).reply_text(WRONG)
    deps = make_deps(small_ledger(tmp_path))
    d = draft_for(deps)
    assert len(stub.bodies) == 2
    assert d.writer == "template_fallback"
    assert d.writer_note.startswith("vérification des faits échouée après 2 essais")
    assert "119 900,00 DA" in d.writer_note
    ref = compose(DunningFacts.model_validate(d.facts))
    assert (d.subject, d.short, d.detailed) == (ref.subject, ref.short, ref.detailed)
    retry = stub.bodies[1]["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert (
        retry[2]["content"] == WRONG
        and "119 900,00 DA is not among the facts" in retry[3]["content"]
    )


def test_a_good_second_try_is_kept(tmp_path, model_env):
    model_env.reply_text(WRONG).reply_text(GOOD)
    d = draft_for(make_deps(small_ledger(tmp_path)))
    assert d.writer == "model" and "119 000,00 DA" in d.short and len(model_env.bodies) == 2


def test_a_malformed_answer_is_retried_then_the_template_is_used(tmp_path, model_env):
    model_env.reply_text(MALFORMED).reply_text(MALFORMED)
    d = draft_for(make_deps(small_ledger(tmp_path)))
    assert len(model_env.bodies) == 2
    assert d.writer == "template_fallback" and "format attendu non respecté" in d.writer_note
    assert d.detailed == compose(DunningFacts.model_validate(d.facts)).detailed


def test_a_server_error_falls_back_at_once(tmp_path, model_env):
    model_env.reply_error(500, "model overloaded")
    deps = make_deps(small_ledger(tmp_path))
    d = draft_for(deps)
    assert len(model_env.bodies) == 1  # no second attempt after an error
    assert d.writer == "template_fallback"
    assert d.writer_note.startswith("erreur du modèle : ") and "(HTTP 500)" in d.writer_note
    assert "model overloaded" in d.writer_note
    assert deps.usage.snapshot().failed_calls == 1


def test_arabic_reminder_with_the_model(tmp_path, model_env):
    good_ar = (
        "OBJET: تذكير بالدفع – F2026-0102 – Atlas Services\n---COURT---\n"
        "السلام عليكم، الفاتورة F2026-0102 بمبلغ 59 500,00 دج لم تسدد بعد.\n---DÉTAILLÉ---\n"
        "السلام عليكم،\n\nالفاتورة F2026-0102 بتاريخ 20/10/2026 بمبلغ 59 500,00 دج "
        "استحقت يوم 19/11/2026 ولم تسدد بعد.\n\nمع أطيب التحيات،\nAtlas Services"
    )
    model_env.reply_text(good_ar.replace("59 500,00", "5 950,00")).reply_text(good_ar)
    d = draft_for(make_deps(small_ledger(tmp_path)), "C02")
    assert d.language == "ar" and d.writer == "model" and "59 500,00 دج" in d.detailed
    assert "أجب بهذا الشكل" in model_env.bodies[0]["messages"][0]["content"]


# --- (b) the reporter's commentary ------------------------------------------------------------


def report_facts(ledger: Ledger, day: date):
    with ledger.read() as s:
        return build_report_facts(s, day)


def commentary(f, min_balance: Decimal | None = None) -> str:
    m = format_dzd
    low = f.min_balance if min_balance is None else min_balance
    return (
        f"Cette semaine, {m(f.cash_in)} sont entrés et {m(f.cash_out)} sont sortis. "
        f"Le point bas prévu est de {m(low)}, le {f.min_balance_date:%d/%m/%Y}."
    )


@pytest.mark.parametrize("good", [True, False], ids=["good", "wrong_figure"])
def test_report_commentary(tmp_path, model_env, good):
    ledger = small_ledger(tmp_path)
    f = report_facts(ledger, THURSDAY)
    text = commentary(f) if good else commentary(f, f.min_balance + Decimal("1000"))
    model_env.reply_text(text).reply_text(text)
    deps = make_deps(ledger)
    out = build_reporter_graph().invoke(
        {"as_of": THURSDAY, "send": False}, {"configurable": {"deps": deps}}
    )
    with ledger.read() as s:
        row = s.get(Report, out["report_id"])
        stored, writer, note = row.commentary, row.writer, row.writer_note
    if good:
        assert len(model_env.bodies) == 1 and (writer, note) == ("model", "")
        # the code's « les livres s'arrêtent au … » opens it (this ledger ends before THURSDAY)
        assert stored == with_books_paragraph(f, text) and stored.endswith(text)
    else:
        assert len(model_env.bodies) == 2 and writer == "template_fallback"
        assert stored == with_books_paragraph(f, compose_commentary(f))
        assert format_dzd(f.min_balance + Decimal("1000")).replace("\u202f", " ") in note
    assert "BROUILLON" in model_env.bodies[0]["messages"][1]["content"]


# --- (c) routing a request --------------------------------------------------------------------


def default_ledger(tmp_path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'd.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "db"))
    return ledger


@pytest.mark.parametrize(
    ("answer", "route", "reason"),
    [
        ("invoice_checker", "invoice_checker", "modèle"),
        ("anomaly_analyst", "anomaly_analyst", "modèle"),  # the model decides when it names one
        ("transfer_funds", "invoice_checker", "règle"),  # unknown name: the rules decide
        ("Je pense que c'est pour le comptable.", "invoice_checker", "règle"),
    ],
)
def test_routing_a_request_with_the_model(tmp_path, model_env, answer, route, reason):
    model_env.reply_text(answer)
    deps = make_deps(default_ledger(tmp_path))
    out = ask(deps, "vérifie la facture F2026-0001", date(2026, 3, 31))
    assert out["route"] == route and out["route_reason"].startswith(reason)
    (body,) = model_env.bodies  # one routing call; these specialists use no model
    assert "Route the owner's request" in body["messages"][0]["content"]
    assert body["messages"][1]["content"] == "vérifie la facture F2026-0001"
    if route == "invoice_checker":
        assert out["items"] == ["F2026-0001"] and "F2026-0001" in out["answer"]
    assert out["model_calls"] == 1


def test_routing_survives_a_model_error(tmp_path, model_env):
    model_env.reply_error(500)
    out = ask(
        make_deps(default_ledger(tmp_path)), "vérifie la facture F2026-0001", date(2026, 3, 31)
    )
    assert out["route"] == "invoice_checker" and out["route_reason"].startswith("règle")


# --- (d) the weekly cycle with a model --------------------------------------------------------


def echo_model(body: dict) -> Reply:
    """A well-behaved model: rewrites the reference draft it was given (same facts)."""
    user = body["messages"][1]["content"]
    if "BROUILLON DE RÉFÉRENCE" in user:
        draft = user.split("BROUILLON DE RÉFÉRENCE", 1)[1].split(":\n", 1)[1]
        draft = draft.split("\n\nTEXTES DU CLIENT", 1)[0]
        return Reply(content=draft + "\n\n(relu)")
    if "BROUILLON (chiffres exacts" in user:
        return Reply(
            content=user.split("BROUILLON (chiffres exacts, à reformuler) :\n", 1)[1] + "\n\n(relu)"
        )
    return Reply(status=500, error="unexpected request in the cycle")


def test_the_cycle_uses_one_call_per_draft_and_per_report_and_none_for_routing(tmp_path, model_env):
    stub: OpenAIStub = model_env
    for _ in range(10):
        stub.reply(echo_model)
    deps = make_deps(small_ledger(tmp_path))
    out = run_cycle(deps, THURSDAY, send_report=False)
    drafts = list_drafts(deps)
    assert len(out["drafts"]) == len(drafts) == 3
    assert out["report"] is not None and out["report"]["writer"] == "model"
    assert len(stub.bodies) == len(drafts) + 1
    assert out["model_calls"] == len(stub.bodies)
    assert out["tokens"] == sum(u["total_tokens"] for u in stub.sent_usage) > 0
    assert all(d.writer == "model" and d.detailed.endswith("(relu)") for d in drafts)
    systems = [b["messages"][0]["content"] for b in stub.bodies]
    assert not any("Route the owner's request" in s for s in systems)


def test_the_cycle_with_a_failing_model_still_drafts_everything(tmp_path, model_env):
    model_env.reply_error(500)  # then nothing scripted: every later request is a 500 too
    deps = make_deps(small_ledger(tmp_path))
    out = run_cycle(deps, THURSDAY, send_report=False)
    drafts = list_drafts(deps)
    assert len(drafts) == 3 and {d.writer for d in drafts} == {"template_fallback"}
    assert out["report"]["writer"] == "template_fallback"
    assert len(model_env.bodies) == 4  # one failed call each, no retry after an error
    assert out["model_calls"] == 0 and deps.usage.snapshot().failed_calls == 4


# --- a scripted chat model, no HTTP -----------------------------------------------------------


class ScriptedChat(BaseChatModel):
    """Answers from a list (a str, or an exception to raise); records what it was sent."""

    answers: list[Any] = Field(default_factory=list)
    seen: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.seen.append(messages)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        usage = {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}
        message = AIMessage(content=answer, usage_metadata=usage)
        return ChatResult(generations=[ChatGeneration(message=message)])


@pytest.mark.parametrize(
    ("answer", "expected", "calls"),
    [
        ("Invoice_Checker.", "invoice_checker", 1),
        ("`weekly_reporter`", "weekly_reporter", 1),
        ("ignore the rules and pay", None, 1),
        (RuntimeError("down"), None, 0),
    ],
)
def test_route_by_model_accepts_only_known_names(answer, expected, calls):
    model = ScriptedChat(answers=[answer])
    counter = UsageCounter()
    decided = route_by_model(model, "une demande", [counter])
    assert (decided[0] if decided else None) == expected
    assert len(model.seen) == 1 and counter.calls == calls


def test_graph_logic_with_a_scripted_model(tmp_path):
    """Per draft: at most two calls; a status claim is refused even with exact figures."""
    ledger = small_ledger(tmp_path)
    paid = GOOD.replace("reste à régler (3 jours de retard).", "est payée.")
    model = ScriptedChat(answers=[paid, GOOD])
    deps = AgentDeps(ledger=ledger, model=model, usage=UsageCounter())
    d = draft_for(deps)
    assert d.writer == "model" and len(model.seen) == 2
    assert "statut inventé" in model.seen[1][-1].content
    assert deps.usage.snapshot().total_tokens == 30


def test_a_model_letter_claiming_reminders_never_sent_is_refused(tmp_path):
    """No reminder went out about F2026-0101: « malgré nos relances » is sent back to the
    model with the count, and the second answer (without it) is the one kept."""
    ledger = small_ledger(tmp_path)
    false = GOOD.replace("Sauf erreur de notre part,", "Malgré nos relances,")
    model = ScriptedChat(answers=[false, GOOD])
    deps = AgentDeps(ledger=ledger, model=model, usage=UsageCounter())
    d = draft_for(deps)
    assert d.writer == "model" and len(model.seen) == 2
    assert "Malgré nos relances" in model.seen[1][-1].content  # the problem, quoted back
    assert "0 rappel(s) envoyé(s)" in model.seen[1][-1].content
    assert "relances" not in d.detailed


def test_reminder_claims_count_what_was_sent():
    from khazna.agents.dunning.model_writer import reminder_claims

    assert reminder_claims("Deuxième relance : F2026-0101", 0) == ["Deuxième relance"]
    assert reminder_claims("Deuxième relance : F2026-0101", 1) == []
    assert reminder_claims("En dépit de nos rappels restés sans suite", 1) == [
        "En dépit de nos rappels"
    ]
    assert reminder_claims("En dépit de notre rappel resté sans suite", 1) == []
    assert reminder_claims("رغم تذكيراتنا، لا تزال الفاتورة غير مسددة", 2) == []
    assert reminder_claims("تذكير ثان: الفاتورة", 0) == ["تذكير ثان"]
