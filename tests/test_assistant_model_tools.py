"""The model's two tools: the typed query (names resolved like the offline reader's, figures
from the executor) and the read-only SQL tool (checked, read-only, bounded), on both back
ends, and the model path through them (a scripted chat model, and ChatOpenAI over HTTP).

The ledger is the hand-made one of ``test_assistant.py``; the expected figures are by hand:
Sonelgaz was paid 45 000,00 (E002, 20/01) + 52 000,50 (E003, 15/03) = 97 000,50 DA in 2026;
energy expenses of all time add E004 (40 000,00): 137 000,50 DA.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import func, select, text

from khazna.agents.assistant import answer_question
from khazna.agents.assistant.model_tools import (
    ROW_LIMIT,
    QueryArgs,
    make_model_tools,
    run_query,
    run_sql,
)
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Invoice
from khazna.money import format_dzd
from tests.backends import BACKENDS, fresh_db_url

try:
    from openai_stub import openai_stub  # noqa: F401
    from test_assistant import AS_OF, ScriptedChat, _bundle, call
except ImportError:  # pragma: no cover
    from tests.openai_stub import openai_stub  # noqa: F401
    from tests.test_assistant import AS_OF, ScriptedChat, _bundle, call


@pytest.fixture(scope="module", params=BACKENDS)
def ledger(request, tmp_path_factory) -> Iterator[Ledger]:
    root = tmp_path_factory.mktemp("model_tools")
    for url in fresh_db_url(request.param, root):
        led = Ledger(url)
        import_bundle(led, _bundle(root))
        yield led
        led.dispose()


@pytest.fixture
def session(ledger):
    with ledger.read() as s:
        yield s


def q(**kw) -> QueryArgs:
    return QueryArgs.model_validate(kw)


# --- the typed query --------------------------------------------------------------------------


def test_the_query_tool_resolves_names_and_the_executor_computes(session):
    r = run_query(session, AS_OF, q(measure="supplier_payments", filters={"supplier": "sonelgaz"},
                                    period={"start": "2026-01-01", "end": "2026-12-31"}))  # fmt: skip
    assert (r.value, sorted(r.items), r.found) == (Decimal("97000.50"), ["E002", "E003"], True)
    assert r.query["filters"] == {"supplier": "S01"}  # the ledger id, not the model's spelling
    text = r.template("fr", AS_OF)
    assert text.startswith("Compris : ") and format_dzd(Decimal("97000.50")) in text


def test_an_unknown_name_is_not_widened_to_everyone(session):
    r = run_query(
        session, AS_OF, q(measure="open_receivables", filters={"client": "Djezzy Mobilis"})
    )
    assert (r.found, r.value, r.items) == (False, None, [])
    assert "Djezzy Mobilis" in r.note and r.candidates  # the closest names to choose from
    cat = run_query(session, AS_OF, q(measure="expenses", filters={"category": "yachting"}))
    assert not cat.found and cat.value is None
    inv = run_query(session, AS_OF, q(measure="days_late", filters={"invoice": "F1999-0001"}))
    assert not inv.found and inv.value is None


def test_a_category_word_and_a_share(session):
    fuel = run_query(session, AS_OF, q(measure="expenses", filters={"category": "gasoil"},
                                       period={"start": "2026-03-01", "end": "2026-03-31"}))  # fmt: skip
    assert (fuel.value, sorted(fuel.items)) == (Decimal("13500.00"), ["E005", "E006"])
    share = run_query(session, AS_OF, q(
        measure="expenses", filters={"category": "energie"}, combine="share",
        period={"start": "2026-01-01", "end": "2026-03-31"},
        other={"measure": "expenses", "period": {"start": "2026-01-01", "end": "2026-03-31"}},
    ))  # fmt: skip
    # 97 000,50 of 1 200 000 + 97 000,50 + 13 500 + 12 000 + 3 000 = 1 325 500,50 → 7,32 %
    assert share.value == Decimal("7.32") and share.parts == [
        Decimal("97000.50"),
        Decimal("1325500.50"),
    ]


# --- read-only SQL -----------------------------------------------------------------------------


def test_sql_reads_typed_values(session):
    r = run_sql(session, "SELECT SUM(amount) FROM expenses WHERE category = 'energie'")
    assert r.found and r.value == Decimal("137000.50")
    top = run_sql(
        session, "SELECT number, total_ttc, issue_date FROM invoices ORDER BY total_ttc DESC"
    )
    first = top.rows[0]
    assert isinstance(first[1], Decimal) and isinstance(first[2], date)
    assert top.items[0] == first[0] and top.value is None  # several rows: no headline


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM invoices",
        "UPDATE invoices SET total_ttc = 0",
        "SELECT 1; DROP TABLE invoices",
        "WITH a AS (DELETE FROM invoices RETURNING *) SELECT * FROM a",
        "SELECT * FROM users",
        "SELECT * FROM interactions",  # clients' replies: untrusted text, not for the model
        "SELECT * FROM sqlite_master",
        "SELECT * FROM pg_catalog.pg_user",
        "SELECT * FROM main.invoices",
        "SELECT load_extension('x')",
        "SELECT pg_read_file('/etc/passwd')",
        "PRAGMA writable_schema = 1",
        "ATTACH DATABASE '/tmp/x.db' AS x",
        "SELECT * INTO copy FROM invoices",
        "not sql at all (",
    ],
)
def test_sql_refuses_what_is_not_one_read_of_the_books(session, sql):
    before = session.scalar(select(func.count()).select_from(Invoice))
    r = run_sql(session, sql)
    assert not r.found and r.value is None and r.rows == [] and r.note
    assert session.scalar(select(func.count()).select_from(Invoice)) == before


def test_sql_is_bounded_in_rows_and_time(session):
    lines = session.scalar(select(func.count()).select_from(Invoice))
    cross = "SELECT a.number FROM invoices a, invoices b, invoices c"
    r = run_sql(session, cross)
    assert lines**3 > ROW_LIMIT and r.truncated and len(r.rows) == ROW_LIMIT
    endless = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    )
    slow = run_sql(session, endless, seconds=0.5)
    assert not slow.found and "0.5 s" in slow.note
    again = run_sql(session, "SELECT count(*) FROM invoices")  # the session still works
    assert again.found and again.value == session.scalar(select(func.count()).select_from(Invoice))
    # and it is left as it was: not read-only for what the caller does next
    sqlite = session.get_bind().dialect.name == "sqlite"
    mode = session.execute(text("PRAGMA query_only" if sqlite else "SHOW transaction_read_only"))
    assert mode.scalar() in (0, "off")


def test_sql_runs_read_only_even_if_the_check_were_fooled(session, monkeypatch):
    from khazna.agents.assistant import model_tools

    monkeypatch.setattr(model_tools, "_checked", lambda sql, dialect: (sql, None))
    r = run_sql(session, "DELETE FROM expenses")
    assert not r.found and "refused" in r.note
    assert run_sql(session, "SELECT count(*) FROM expenses").value == 8


# --- the model path ---------------------------------------------------------------------------


def test_a_model_answers_through_the_typed_query(session):
    model = ScriptedChat(script=[
        call("query", {"measure": "supplier_payments", "filters": {"supplier": "Sonelgaz"},
                       "period": {"start": "2026-01-01", "end": "2026-12-31"}}),
        AIMessage("Nous avons payé 97 000,50 DA à Sonelgaz en 2026 (E002, E003)."),
    ])  # fmt: skip
    a = answer_question(session, "combien avons-nous payé à Sonelgaz en 2026 ?", AS_OF, model=model)
    assert a.writer == "model" and a.tools == ["query"] and model.bound == ["query", "sql"]
    assert (a.value, sorted(a.items)) == (Decimal("97000.50"), ["E002", "E003"])
    assert a.understood.startswith("Compris : paiements fournisseur")
    assert a.query["filters"] == {"supplier": "S01"}


def test_a_model_figure_not_in_the_sql_result_is_replaced(session):
    wrong = AIMessage("Les dépenses d'énergie s'élèvent à 140 000,00 DA.")
    model = ScriptedChat(script=[
        call("sql", {"sql": "SELECT SUM(amount) FROM expenses WHERE category = 'energie'"}), wrong, wrong,
    ])  # fmt: skip
    a = answer_question(session, "total des dépenses d'énergie depuis toujours", AS_OF, model=model)
    assert a.writer == "template_fallback" and a.value == Decimal("137000.50")
    assert format_dzd(Decimal("137000.50")) in a.answer and "140 000" not in a.answer


def test_a_refused_sql_is_reported_and_the_model_can_recover(session):
    count = {"measure": "open_receivables", "aggregation": "count"}
    n = run_query(session, AS_OF, q(**count)).value
    model = ScriptedChat(script=[
        call("sql", {"sql": "DELETE FROM invoices"}),
        call("query", count, cid="c2"),
        AIMessage(f"Vous avez {n} factures ouvertes."),
    ])  # fmt: skip
    a = answer_question(session, "combien de factures ouvertes ?", AS_OF, model=model)
    refused = model.seen[1][-1]
    assert refused.type == "tool" and "only SELECT" in refused.content
    assert a.tools == ["sql", "query"] and a.writer == "model" and a.value == n > 0


def test_the_tools_over_http_carry_json_schemas(session, openai_stub):
    from khazna.agents.configuration import Configuration
    from khazna.agents.llm import build_chat_model

    openai_stub.reply_tool_call("query", {"measure": "rejected_payments", "aggregation": "count",
                                          "period": {"start": "2026-01-01", "end": "2026-03-31"}})  # fmt: skip
    openai_stub.reply_text("1 chèque rejeté depuis janvier : P002.")
    cfg = Configuration(
        writer="model", model="stub-model", base_url=openai_stub.base_url,
        api_key="sk-test-0123456789", max_retries=0, timeout=10.0,
    )  # fmt: skip
    a = answer_question(session, "chèques rejetés cette année", AS_OF, model=build_chat_model(cfg))
    assert (a.value, a.items, a.writer) == (1, ["P002"], "model")
    first = openai_stub.bodies[0]
    tools = {t["function"]["name"]: t["function"] for t in first["tools"]}
    assert set(tools) == {"query", "sql"}
    params = tools["query"]["parameters"]
    assert "measure" in params["properties"] and "invoiced_ht" in str(params)
    assert "bank_lines(" in tools["sql"]["description"]


def test_tools_are_bound_to_the_session_and_day(session):
    tools = {t.name: t for t in make_model_tools(session, AS_OF)}
    msg = tools["query"].invoke({"name": "query", "type": "tool_call", "id": "x",
                                 "args": {"measure": "balance", "on": "2026-02-28"}})  # fmt: skip
    assert msg.artifact.value == Decimal("3050000.00")
    later = tools["query"].invoke({"name": "query", "type": "tool_call", "id": "y",
                                   "args": {"measure": "balance", "on": "2026-06-30"}})  # fmt: skip
    assert later.artifact.value is None  # a day after the as-of day is not known yet
