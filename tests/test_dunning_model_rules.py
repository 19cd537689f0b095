"""Issue 14: the letter rules run inside the model writer's check. A model letter with a false
history, a casual formal notice, a demand over invoices not in default, a deadline without
its unit or a plan without its condition, a court threat to a public body, a service fait
claimed without its attestation, or a wrong invoice told to the client is sent back once
with the rule it breaks, then replaced by the offline composer's letter (the draft's note
says why). The model is a ChatOpenAI talking real HTTP to the OpenAI stub."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from langchain_openai import ChatOpenAI

from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.compose import compose
from khazna.agents.dunning.graph import build_dunning_graph
from khazna.agents.dunning.letter_rules import read_written
from khazna.agents.dunning.model_writer import books_of, write_with_model
from khazna.agents.inbox import get_draft
from khazna.agents.quoting import CLIENT_TEXT_LABEL
from khazna.evals import dunning_letters, eval_dunning, letter_defects
from khazna.ledger.models import Document, Invoice
from khazna.tools.invoice_check.ledger_check import document_from_rows
from tests.openai_stub import OpenAIStub, Reply
from tests.test_dunning import _ledger


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    """The 100 letters of the dunning eval's matrix: case, plan, facts, context."""
    tmp = tmp_path_factory.mktemp("letters")
    prepared = eval_dunning._prepare(tmp, dunning_letters.AS_OF, dunning_letters.cases())
    return [(c, p, f, x or []) for c, p, f, x, _ in prepared if f is not None]


@pytest.fixture
def stub():
    server = OpenAIStub().start()
    try:
        yield server
    finally:
        server.close()


def _model(stub: OpenAIStub) -> ChatOpenAI:
    return ChatOpenAI(
        model="stub-model",
        base_url=stub.base_url,
        api_key="sk-test",  # type: ignore[arg-type]
        max_retries=0,
        use_responses_api=False,
    )


MAKERS = {**letter_defects.DEFECTS, **{f"{n}~": m for n, m in letter_defects.REWORDED.items()}}


def _first(letters, defect: str, lang: str):
    make = MAKERS[defect]
    for case, plan, facts, context in letters:
        if facts.language == lang and make(compose(facts), facts) is not None:
            return case, plan, facts, context
    raise AssertionError(f"no letter for {defect} in {lang}")


def test_the_composer_passes_the_rules_on_books_from_its_facts(letters):
    """The fallback is safe: on every letter of the matrix, the rules read from the draft's
    own facts (books_of) accept the composer's letter and agree with the eval's books."""
    for case, plan, facts, _ in letters:
        text = compose(facts)
        mine = read_written(text.subject, text.short, text.detailed, plan.level, books_of(facts))
        theirs = read_written(
            text.subject, text.short, text.detailed, plan.level, dunning_letters.books(case)
        )
        assert mine == theirs and False not in mine.values(), case["id"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("defect", list(MAKERS))  # "~": worded otherwise than the rules' examples
def test_a_defective_model_letter_is_sent_back_then_replaced(letters, stub, defect, lang):
    case, plan, facts, context = _first(letters, defect, lang)
    good = compose(facts)
    bad = MAKERS[defect](good, facts)
    assert bad is not None
    stub.reply_text(letter_defects.as_answer(bad)).reply_text(letter_defects.as_answer(bad))
    out = write_with_model(_model(stub), facts, context)
    rule = letter_defects.RULE_OF[defect.rstrip("~")]
    assert out.writer == "template_fallback" and out.value == good, case["id"]
    assert f"règle « {rule} »" in out.note
    assert len(stub.bodies) == 2
    retry = stub.bodies[1]["messages"][-1]["content"]
    assert f"règle « {rule} »" in retry  # the rule, told to the model for its retry


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_retry_without_the_defect_is_kept(letters, stub, lang):
    _case, _plan, facts, context = _first(letters, "plan_condition", lang)
    good = compose(facts)
    bad = letter_defects.plan_condition(good, facts)
    assert bad is not None
    stub.reply_text(letter_defects.as_answer(bad)).reply_text(letter_defects.as_answer(good))
    out = write_with_model(_model(stub), facts, context)
    assert out.writer == "model" and out.value == good and out.calls == 2


def test_a_clean_model_letter_is_kept_in_one_request(letters, stub):
    """No false alarm: every letter of the matrix as the composer writes it, answered by the
    model, is kept at the first request."""
    for case, _plan, facts, context in letters:
        stub.reply_text(letter_defects.as_answer(compose(facts)))
        out = write_with_model(_model(stub), facts, context)
        assert (out.writer, out.calls) == ("model", 1), (case["id"], out.note)


def test_the_rules_history_is_not_shown_to_the_model(letters, stub):
    _case, _plan, facts, context = _first(letters, "checker_told", "fr")
    assert facts.exchanges and facts.defective
    stub.reply_text(letter_defects.as_answer(compose(facts)))
    write_with_model(_model(stub), facts, context)
    user = stub.bodies[0]["messages"][1]["content"]
    assert '"exchanges"' not in user and '"defective"' not in user


def _injecting_wrong_words(body: dict) -> Reply:
    """A model that rewrites the reference draft it was given, telling the client the amount
    in words of F2026-0102 is wrong."""
    user = body["messages"][1]["content"]
    draft = user[user.index("OBJET:") :].split(CLIENT_TEXT_LABEL)[0].strip()
    told = "Le montant en lettres de la facture F2026-0102 ne correspond pas au total."
    return Reply(content=draft.replace("\n\nPar la présente", f"\n\n{told}\n\nPar la présente", 1))


def test_in_the_graph_a_model_telling_the_client_of_a_wrong_invoice_falls_back(
    db_url, tmp_path, stub
):
    """The draft's facts carry the invoice checker's errors (``defective``): a model letter
    telling the client of one is refused; the composer's letter is queued with the warning
    for the owner above it."""
    ledger = _ledger(db_url, tmp_path)
    with ledger.session() as s:  # the issued document of F2026-0102 states wrong words
        doc = document_from_rows(s, s.get(Invoice, "F2026-0102"))
        doc = doc.model_copy(update={"amount_in_words": "Mille dinars algériens"})
        content = doc.model_dump_json().encode()
        s.add(
            Document(
                filename="F2026-0102.json",
                number="F2026-0102",
                media_type="application/json",
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    stub.reply(_injecting_wrong_words).reply(_injecting_wrong_words)
    deps = AgentDeps(ledger=ledger, model=_model(stub))
    build_dunning_graph().invoke(
        {"as_of": date(2026, 11, 22), "run_id": "a", "client_id": "C01"},
        {"configurable": {"deps": deps}},
    )
    d = get_draft(deps, "D20261122-C01-L3")
    assert len(stub.bodies) == 2
    assert d.writer == "template_fallback" and "règle « checker »" in d.writer_note
    assert "montant en lettres" not in d.detailed.lower()
    assert d.facts["defective"] == ["F2026-0102"]
    assert {w["number"] for w in d.warnings} == {"F2026-0102"}
    sent = json.dumps(stub.bodies[0], ensure_ascii=False)
    assert "Mille dinars" not in sent


def _casual_at_level_3(body: dict) -> Reply:
    """A model that answers the reference draft it was given, opening it with « Bonjour, »
    when the facts are a formal notice (level 3): a register defect."""
    user = body["messages"][1]["content"]
    draft = user[user.index("OBJET:") :].split(CLIENT_TEXT_LABEL)[0].strip()
    if '"level": 3' in user:
        draft = draft.replace("---DÉTAILLÉ---\n", "---DÉTAILLÉ---\nBonjour,\n\n", 1)
    return Reply(content=draft)


def test_the_eval_reads_what_the_owner_gets_and_says_how_much_the_model_wrote(stub):
    """Through the eval's model path: a model casual at level 3 has those letters replaced
    (the rules then pass on every letter), and ``letters_model_kept`` says the model's own
    share — the letters below level 3 only."""
    from khazna.evals.runner import EvalContext

    class Casual(OpenAIStub):
        def _next(self, body):
            return _casual_at_level_3(body)

    server = Casual().start()
    try:
        scores, detail = eval_dunning.run(EvalContext(model=_model(server)))
    finally:
        server.close()
    letters = [k for k in scores if k.startswith("model.letters.")]
    assert letters and all(scores[k] == 1.0 for k in letters), detail.get("model_letters_failed")
    # 110 letters written: the 100 of the matrix and the 10 written again without their wrong
    # invoice (level 2 then). The 60 formal notices are never kept, the 50 others are
    assert scores["model.letters_model_kept"] == pytest.approx(50 / 110, abs=1e-3)
