"""What-if scenarios and the placement decision, on the small ledger of ``test_forecast``.

Base case (computed by hand there): position on 2026-03-31 = 1 450 000; the invoice F1 of
C1 (200 000) lands on Sunday 04-12, CNAS −50 000 on Monday 04-20, salaries −300 000 on
Sunday 04-26: lowest balance 1 300 000 on 04-26, threshold 500 000, status ok.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from khazna.agents.alerts import find_alerts
from khazna.cli import main
from khazna.money import format_dzd
from khazna.tools.forecast import forecast
from khazna.tools.placement import (
    add_placement,
    interest,
    needed_back,
    placeable,
    placement_plan,
)
from khazna.tools.scenarios import (
    ClientDelay,
    OneOffFlow,
    PlaceFunds,
    RecurringFlow,
    ScenarioError,
    parse_spec,
    run_what_if,
)
from tests.test_forecast import AS_OF, BANK, CLIENTS, COMPANY, INVOICES, SALARIES
from tests.test_receivables import load

PRODUCTS = [
    {"product_id": "DAT-10", "name": "Test 10 jours", "term_days": 10,
     "annual_rate_percent": "3.65", "min_amount": 100000, "placeholder": True},
    {"product_id": "DAT-30", "term_days": 30, "annual_rate_percent": "2.00",
     "min_amount": 900000},
    {"product_id": "DAT-90", "term_days": 90, "annual_rate_percent": "2.50",
     "min_amount": 50000},
]  # fmt: skip


def make(tmp_path, url=None, *, threshold=500000):
    policy = {
        "treasury": {"safety_threshold": threshold},
        "placement": {"terms_days": [10, 30, 90], "products": PRODUCTS},
    }
    return load(
        tmp_path,
        url,
        company=COMPANY,
        clients=CLIENTS,
        invoices=INVOICES,
        payments=[],
        bank_lines=BANK,
        commitments=(SALARIES,),
        interactions=[],
        policy=policy,
    )


def by_day(fc) -> dict[str, Decimal]:
    return {d.date.isoformat(): d.balance for d in fc.days}


# -- grammar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("recurring:-150000/month:loyer",
         RecurringFlow(amount=Decimal("-150000.00"), every="month", label="loyer")),
        ("recurring:-80k/mois:2027-01-01:technicien",
         RecurringFlow(amount=Decimal("-80000.00"), every="month", start=date(2027, 1, 1),
                       label="technicien")),
        ("recurrent:+12 500,50/week", RecurringFlow(amount=Decimal("12500.50"), every="week")),
        ("once:2026-12-20:+500000:subvention",
         OneOffFlow(date=date(2026, 12, 20), amount=Decimal("500000.00"), label="subvention")),
        ("ponctuel:-1,5M:10/12/2026:machine",
         OneOffFlow(date=date(2026, 12, 10), amount=Decimal("-1500000.00"), label="machine")),
        ("delay:C04:+15d", ClientDelay(client="C04", days=15)),
        ("retard:Cimenterie des Babors:60j", ClientDelay(client="Cimenterie des Babors", days=60)),
        ("delay:C01:-5d", ClientDelay(client="C01", days=-5)),
        ("place:2000000:90d", PlaceFunds(amount=Decimal("2000000.00"), term_days=90)),
        ("placement:3M:180j:DAT-180",
         PlaceFunds(amount=Decimal("3000000.00"), term_days=180, product="DAT-180")),
    ],
)  # fmt: skip
def test_grammar_reads_each_kind(spec, expected):
    assert parse_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("hire:2:80000", "le type 'hire' n'existe pas"),
        ("recurring:-150000", "attendu recurring:MONTANT/PÉRIODE"),
        ("recurring:-150000/fortnight", "période non comprise 'fortnight'"),
        ("recurring:150000/month", "montant sans signe"),
        ("recurring:-15O000/month", "montant non compris : '-15O000'"),
        ("once:2026-13-40:+5000", "date non comprise : '2026-13-40'"),
        ("once:+5000", "attendu once:DATE:MONTANT"),
        ("once:2026-12-20:0", "montant nul"),
        ("delay:C04", "attendu delay:CLIENT:JOURS"),
        ("delay:C04:quinze", "nombre de jours non compris : 'quinze'"),
        ("place:-2000000:90d", "montant négatif"),
        ("place:2000000:-90d", "durée négative"),
        ("place:2000000", "attendu place:MONTANT:DURÉE"),
    ],
)
def test_grammar_refuses_what_it_cannot_read(spec, says):
    with pytest.raises(ScenarioError) as err:
        parse_spec(spec)
    assert says in str(err.value)


# -- scenario arithmetic -----------------------------------------------------------------


def test_each_scenario_moves_the_balances_as_computed_by_hand(db_url, tmp_path):
    with make(tmp_path, db_url).read() as s:
        # a rent from Sunday 04-05: −150 000 once in the horizon (05-05 is past it)
        wi = run_what_if(s, AS_OF, ["recurring:-150000/month:2026-04-05:loyer"])
        b = by_day(wi.scenario)
        assert b["2026-04-04"] == Decimal("1450000.00") and b["2026-04-05"] == Decimal("1300000.00")
        assert wi.scenario.min_balance == Decimal("1150000.00")
        assert wi.base.min_balance == Decimal("1300000.00")

        # a machine on Wednesday 04-15: below the threshold from the salaries on
        wi = run_what_if(s, AS_OF, ["once:2026-04-15:-1000000:machine"])
        o = wi.items[0].outcome
        assert (o.min_balance, o.min_balance_date) == (Decimal("300000.00"), date(2026, 4, 26))
        assert o.days_below_threshold == 5 and o.first_below_threshold == date(2026, 4, 26)
        assert o.status == "a_surveiller" and wi.base.status == "ok"
        assert "sous le seuil" in wi.breaks and "26/04/2026" in wi.breaks

        # C1 pays 15 days later: F1 from Sunday 04-12 to Monday 04-27, by name
        wi = run_what_if(s, AS_OF, ["delay:Alpha PME:+15d"])
        b = by_day(wi.scenario)
        assert b["2026-04-26"] == Decimal("1100000.00") and b["2026-04-27"] == Decimal("1300000.00")
        assert wi.items[0].scenario.client_id == "C1"
        # ... 30 days later: out of the horizon
        wi = run_what_if(s, AS_OF, ["delay:C1:+30d"])
        assert wi.scenario.days[-1].balance == Decimal("1100000.00")
        assert any("sort de l'horizon" in n for n in wi.items[0].notes)

        # 1 000 000 placed 10 days at 3,65 %: out Wed 04-01, back Sun 04-12 with 1 000,00
        wi = run_what_if(s, AS_OF, ["place:1000000:10d"])
        b = by_day(wi.scenario)
        assert b["2026-04-01"] == Decimal("450000.00")
        assert b["2026-04-12"] == Decimal("1651000.00")  # + F1 200 000 the same day
        assert wi.items[0].scenario.product == "DAT-10"
        assert "taux d'exemple" in wi.items[0].description

        # together: the lowest day adds up, each alone is reported too
        wi = run_what_if(s, AS_OF, ["once:2026-04-15:-1000000", "delay:C1:+30d"])
        assert wi.scenario.min_balance == Decimal("100000.00")
        assert [i.outcome.min_balance for i in wi.items] == [
            Decimal("300000.00"),
            Decimal("1100000.00"),
        ]


def test_unknown_client_and_product_are_named(db_url, tmp_path):
    with make(tmp_path, db_url).read() as s:
        with pytest.raises(ScenarioError, match="client inconnu : 'Sonatel'"):
            run_what_if(s, AS_OF, ["delay:Sonatel:+15d"])
        with pytest.raises(ScenarioError, match=r"produit de placement inconnu : 'DAT-7'.*DAT-10"):
            run_what_if(s, AS_OF, ["place:100000:7d:DAT-7"])


def test_what_if_cli_extends_the_forecast_document(db_url, tmp_path, capsys):
    ledger = make(tmp_path, db_url)
    args = ["forecast", "--db", ledger.url, "--as-of", "2026-03-31"]
    assert main([*args, "--json", "--what-if", "once:2026-04-15:-1000000:machine"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["min_balance"] == 300000 and doc["status"] == "a_surveiller"  # the scenario
    assert len(doc["days"]) == 30 and set(doc["days"][0]) >= {"date", "balance", "status"}
    assert doc["base"]["min_balance"] == 1300000 and doc["base"]["status"] == "ok"
    assert doc["base"]["min_balance_date"] == "2026-04-26"
    (one,) = doc["scenarios"]
    assert one["what"]["kind"] == "once" and one["days_below_threshold"] == 5
    assert one["spec"] == "once:2026-04-15:-1000000:machine"

    assert main([*args, "--what-if", "delay:C1:+15d"]) == 0
    out = capsys.readouterr().out
    assert "Alpha PME (C1) paie 15 jours plus tard" in out
    assert format_dzd(Decimal("1100000")) in out

    assert main([*args, "--what-if", "delay:Sonatel:+15d"]) == 2
    assert "client inconnu : 'Sonatel'" in capsys.readouterr().err
    assert main([*args, "--what-if", "once:2026-04-31:+5"]) == 2
    assert "date non comprise" in capsys.readouterr().err


# -- placement ---------------------------------------------------------------------------


def test_interest_is_decimal_simple_interest():
    assert interest(Decimal("1000000"), Decimal("3.65"), 10) == Decimal("1000.00")
    assert interest(Decimal("800000"), Decimal("2.00"), 30) == Decimal("1315.07")
    assert interest(Decimal("800000"), Decimal("2.00"), 30, 360) == Decimal("1333.33")


def test_placeable_amount_stays_above_the_threshold(db_url, tmp_path):
    with make(tmp_path, db_url).read() as s:
        fc = forecast(s, AS_OF, 30)
        assert placeable(fc, 10) == Decimal("950000.00")  # 1 450 000 − 500 000
        assert placeable(fc, 30) == Decimal("800000.00") == fc.excess_cash
        plan = placement_plan(s, AS_OF)
        # placing what it says never takes a day of the lowest path below the threshold
        for t in plan.terms:
            wi = run_what_if(s, AS_OF, [f"place:{t.amount + 1}:{t.term_days}d"], t.term_days)
            assert min(d.balance for d in wi.scenario.days) < wi.scenario.threshold
            if t.amount:
                wi = run_what_if(s, AS_OF, [f"place:{t.amount}:{t.term_days}d"], t.term_days)
                assert min(d.balance for d in wi.scenario.days) >= wi.scenario.threshold
    terms = {t.term_days: t.amount for t in plan.terms}
    assert terms[10] == Decimal("950000.00") and terms[30] == Decimal("800000.00")
    assert terms[90] < terms[30]  # salaries of May and June, no invoice known yet
    products = {p.product_id: p for p in plan.products}
    assert products["DAT-10"].interest == Decimal("950000") * Decimal("0.0365") * 10 / 365
    assert products["DAT-10"].placeholder
    assert products["DAT-30"].below_minimum and products["DAT-30"].interest == 0  # min 900 000
    assert products["DAT-90"].amount == terms[90]


def test_repatriate_alert_once(db_url, tmp_path):
    # threshold 1 000 000: the salaries of Monday May 25 take the balance to 950 000, and
    # those of June (Achoura on Thursday 25: Sunday 28) to 600 000, before the maturity
    # (06-29) of the placement made on 03-31
    ledger = make(tmp_path, db_url, threshold=1000000)
    with ledger.session() as s:
        rec = add_placement(s, Decimal("2000000"), AS_OF, 90, "DAT-90")
    with ledger.read() as s:
        (n,) = needed_back(s, AS_OF)
        assert n.placement.placement_id == rec.placement_id
        assert n.first_day == date(2026, 5, 25) and n.lowest_day == date(2026, 6, 28)
        assert n.shortfall == Decimal("400000.00")
        alerts, state = find_alerts(s, AS_OF, {})
        (alert,) = [a for a in alerts if a.kind == "repatriate"]
        assert rec.placement_id in alert.subject and "rapatrier" in alert.subject
        assert "25/05/2026" in alert.text and format_dzd(Decimal("400000")) in alert.text
        again, _ = find_alerts(s, date(2026, 4, 1), state)
        assert not [a for a in again if a.kind == "repatriate"]


# -- the same through khazna ask ---------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "specs"),
    [
        ("et si le client Alpha PME paie 15 jours plus tard ?", ["delay:alpha pme:+15d"]),
        ("si C04 paie avec 60 jours de retard", ["delay:c04:+60d"]),
        ("et si COSIDAR paie 10 jours plus tôt ?", ["delay:cosidar:-10d"]),
        ("si j'achète la machine à 1,5 M DA le 10 décembre", ["once:2026-12-10:-1500000"]),
        ("et si je reçois 500 000 DA le 20 janvier 2027 ?", ["once:2027-01-20:+500000"]),
        ("si je place 3 M DA pendant 90 jours", ["place:3000000:90d"]),
        (
            "si j'embauche deux techniciens à 80 000 DA par mois à partir de janvier",
            ["recurring:-160000/month:2027-01-01:embauche"],
        ),
    ],
)
def test_a_what_if_question_is_read_into_the_grammar(question, specs):
    from khazna.agents.reporter.what_if import is_what_if, read_what_if

    assert is_what_if(question)
    assert read_what_if(question, date(2026, 11, 26)) == (specs, [])
    for spec in specs:
        parse_spec(spec)  # each one the grammar reads


def test_ask_routes_a_what_if_to_the_same_executor(db_url, tmp_path, capsys):
    ledger = make(tmp_path, db_url)
    q = "et si Alpha PME paie 15 jours plus tard ?"
    assert main(["ask", "--db", ledger.url, "--as-of", "2026-03-31", "--json", q]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["route"] == "weekly_reporter" and doc["tools"] == ["what_if"]
    assert doc["value"] == 1100000 and doc["items"] == ["C1"]
    assert doc["base"]["min_balance"] == 1300000 and doc["scenarios"] == ["delay:alpha pme:+15d"]
    assert "Alpha PME (C1) paie 15 jours plus tard" in doc["answer"]
    q = "et si Sonatel paie 15 jours plus tard ?"
    assert main(["ask", "--db", ledger.url, "--as-of", "2026-03-31", "--json", q]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["value"] is None and "client inconnu : 'sonatel'" in doc["answer"]
    assert doc["unresolved"]


def test_placement_cli(db_url, tmp_path, capsys):
    ledger = make(tmp_path, db_url)
    base = ["--db", ledger.url]
    assert main(["placement", *base, "--as-of", "2026-03-31", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {t["term_days"]: t["amount"] for t in doc["terms"]}[30] == 800000
    assert main(["placement", *base, "--as-of", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "TAUX D'EXEMPLE" in out and format_dzd(Decimal("800000")) in out
    args = ["placement", "add", "2M", "--days", "90", "--product", "DAT-90", *base]
    assert main([*args, "--start", "2026-03-31", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["amount"] == 2000000 and rec["maturity"] == "2026-06-29"
    assert main(["placement", "add", "1000", "--days", "9", "--product", "NOPE", *base]) == 1
    assert "produit de placement inconnu : 'NOPE'" in capsys.readouterr().err
    assert main(["placement", "list", *base, "--json"]) == 0
    (one,) = json.loads(capsys.readouterr().out)["placements"]
    assert main(["placement", "remove", one["placement_id"], *base]) == 0
    capsys.readouterr()
    assert main(["placement", "list", *base]) == 0
    assert "aucun placement" in capsys.readouterr().out


def test_a_question_about_later_months_gets_a_horizon_that_reaches_them():
    from khazna.agents.reporter.what_if import horizon

    day = date(2026, 11, 26)
    assert horizon(["delay:C04:+15d"], day) == 30
    assert horizon(["recurring:-160000/month:2027-01-01"], day) == 36 + 30
    assert horizon(["once:2027-12-31:-5"], day) == 366
