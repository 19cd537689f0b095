"""The evals: offline scores at or above evals/thresholds.json, the scorers, the model path
through the local OpenAI stub, the result files and --compare."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from khazna.cli import main
from khazna.evals import eval_anomalies, eval_routing, runner
from khazna.evals.eval_invoices import score as invoice_score
from khazna.evals.scoring import prf
from tests.openai_stub import Reply, openai_stub  # noqa: F401 - the fixture


@pytest.fixture(scope="module")
def offline_record() -> dict:
    return runner.run_evals()


def test_offline_scores_meet_thresholds(offline_record):
    thresholds = runner.load_thresholds()
    assert runner.below_thresholds(offline_record, thresholds) == []
    # wrong answers (a figure for another question) have a ceiling, not only a floor on right
    assert runner.above_ceilings(offline_record, runner.load_ceilings()) == []
    for agent in thresholds:  # every agent with a floor was measured (the assistant's if present)
        assert agent in offline_record["scores"] or agent not in runner.available()
    for scores in offline_record["scores"].values():
        assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert offline_record["writer"] == "offline" and offline_record["model"] is None


def test_thresholds_only_name_real_scores(offline_record):
    for agent, limits in runner.load_thresholds().items():
        if agent in offline_record["scores"]:
            assert set(limits) <= set(offline_record["scores"][agent]), agent


def test_dunning_eval_reports_the_heldout_letters_without_a_floor(offline_record):
    from khazna.evals.letter_rules import RULES

    dun = offline_record["scores"]["dunning_writer"]
    for rule in [*RULES, "all"]:
        assert 0.0 <= dun[f"template.letters_heldout.{rule}"] <= 1.0
        assert f"template.letters_heldout.{rule}" not in runner.load_thresholds()["dunning_writer"]


def test_ceilings_flag_a_rate_of_wrong_answers_over_its_limit():
    record = {"scores": {"assistant": {"offline.heldout.wrong": 0.05, "offline.dev.wrong": 0.0}}}
    ceilings = {"assistant": {"offline.heldout.wrong": 0.02, "offline.dev.wrong": 0.0}}
    assert runner.above_ceilings(record, ceilings) == [
        "assistant.offline.heldout.wrong = 0.05 > 0.02"
    ]
    assert runner.above_ceilings(record, {"assistant": {"missing": 0.1}}) != []
    assert "ceilings" not in runner.load_thresholds()  # not an agent
    assert runner.load_ceilings()["assistant"]["offline.heldout.wrong"] <= 0.25


def test_assistant_outcomes_count_a_wrong_figure_apart_from_an_honest_null():
    from khazna.evals import assistant_eval as ae

    cases = [
        {"question": "a", "value": "10.00", "items": ["F1"], "kind": "k", "language": "fr"},
        {"question": "b", "value": "10.00", "items": ["F1"], "kind": "k", "language": "fr"},
        {"question": "c", "value": "10.00", "items": ["F1"], "kind": "k", "language": "en"},
        {"question": "d", "value": None, "items": [], "kind": "unknown", "language": "en"},
    ]
    got = {"a": (Decimal("10"), ["F1"]), "b": (None, []), "c": (Decimal("12"), ["F1"]), "d": (Decimal("3"), [])}  # fmt: skip
    res = ae.score(cases, lambda q: {"value": got[q][0], "items": got[q][1]})
    assert res["by_language"] == {
        "en": {"right": 0, "unanswered": 0, "wrong": 2},
        "fr": {"right": 1, "unanswered": 1, "wrong": 0},
    }
    assert (res["right"], res["unanswered"], res["wrong"]) == (0.25, 0.25, 0.5)
    blind = ae.blind(res)
    assert all(set(f) == {"case", "kind", "language", "outcome"} for f in blind["failures"])


def test_prf_counts():
    assert prf(8, 2, 0) == {"precision": 0.8, "recall": 1.0, "f1": 0.8889}
    assert prf(0, 0, 0)["f1"] == 1.0
    assert prf(0, 3, 2)["f1"] == 0.0


def test_anomaly_scorer_counts_false_alarms_and_lookalikes():
    truth = {
        "anomalies": [
            {"kind": "duplicate_payment", "refs": ["E-1", "E-2"]},
            {"kind": "over_limit", "refs": ["E-9"]},
        ],
        "not_anomalies": [{"looks_like": "duplicate_payment", "refs": ["E-5", "E-6"]}],
    }
    found = [
        ("duplicate_payment", {"E-2", "BL-7"}),
        ("duplicate_payment", {"E-5", "E-6"}),
        ("unknown_payee", {"BL-1"}),
    ]
    c = eval_anomalies.score_ledger(truth, found)
    assert (c["tp"], c["fn"], c["fp"]) == (1, 1, 2)
    assert c["lookalikes_flagged"] == 1


def test_invoice_scorer_families_and_exact_match():
    cases = [
        ({"expect": {"TIMBRE_MISSING"}, "layout": "json"}, {"TIMBRE_MISSING"}),
        (
            {"expect": {"SELLER_NIF_MISSING"}, "layout": "pdf"},
            {"SELLER_NIF_MISSING", "TOTAL_HT_MISMATCH"},
        ),
        ({"expect": {"RIB_INVALID"}, "layout": "pdf"}, set()),
    ]
    scores, detail = invoice_score(cases)
    assert scores["timbre.f1"] == 1.0
    assert scores["arithmetic.precision"] == 0.0
    assert scores["identifiers.recall"] == 0.0
    assert scores["exact.json"] == 1.0 and scores["exact.pdf"] == 0.0
    assert detail["errors"] == {"fp:TOTAL_HT_MISMATCH:pdf": 1, "fn:RIB_INVALID:pdf": 1}


def test_routing_dataset_is_large_and_multilingual():
    reqs = eval_routing.load_requests()
    assert len(reqs) >= 30
    assert {r["lang"] for r in reqs} == {"fr", "ar", "en"}
    assert {r["expect"] for r in reqs} == set(runner_specialists())


def runner_specialists():
    from khazna.agents.supervisor.routing import SPECIALISTS

    return SPECIALISTS


def _stub_answer(expected: dict[str, str]):
    """Routing: the expected specialist for French and Arabic, nonsense in English (the rules
    then decide). Dunning: the reference draft sent in the request, unchanged."""

    def answer(body: dict) -> Reply:
        system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
        if "Route the owner's request" in system:
            return Reply(content=expected.get(user, "je ne sais pas"))
        m = re.search(r"BROUILLON DE RÉFÉRENCE[^\n]*\n(.*?)(?:\n\nTEXTES DU CLIENT|\Z)", user, re.S)
        return Reply(content=m.group(1) if m else "?")

    return answer


def test_model_path_through_local_stub(openai_stub, monkeypatch, capsys):  # noqa: F811
    reqs = eval_routing.load_requests()
    expected = {r["text"]: r["expect"] for r in reqs if r["lang"] != "en"}
    from khazna.evals import dunning_letters
    from khazna.evals.eval_dunning import load_cases

    # one answer per model call: the dunning cases, each letter of the matrix (and, for a
    # letter with a checker warning, the letter written again without the invoice), routing
    letters = dunning_letters.cases()
    retold = sum(any(i.get("doc", "clean") != "clean" for i in c["invoices"]) for c in letters)
    for _ in range(len(load_cases()[1]) + len(letters) + retold + len(reqs) + 10):
        openai_stub.reply(_stub_answer(expected))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_stub.base_url)
    monkeypatch.setenv("KHAZNA_MODEL", "stub-model")
    monkeypatch.setenv("KHAZNA_MODEL_MAX_RETRIES", "0")
    rc = main(
        [
            "eval",
            "--only",
            "dunning_writer",
            "--only",
            "supervisor_routing",
            "--json",
            "--no-record",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "sk-test-secret-key-123456" not in out
    rec = json.loads(out)
    assert (
        rec["writer"] == "model"
        and rec["model"] == "stub-model"
        and rec["base_url"] == openai_stub.base_url
    )
    routing = rec["scores"]["supervisor_routing"]
    assert routing["model.answered"] == round(len(expected) / len(reqs), 4)
    assert routing["model.accuracy"] >= routing["rules.accuracy"]
    assert routing["model.lang.fr"] == 1.0 and routing["model.lang.ar"] == 1.0
    assert routing["model.lang.en"] == routing["rules.lang.en"]
    dun = rec["scores"]["dunning_writer"]
    # the stub echoes the template's draft: the model's draft is kept exactly when the
    # template's text passes the fact check, and the same cases pass the same checks
    assert dun["model.model_accepted"] == dun["template.figures"]
    for check in (
        "invoices",
        "amount",
        "level",
        "language",
        "tone",
        "plan",
        "hostile",
        "all_checks",
    ):
        assert dun[f"model.{check}"] == dun[f"template.{check}"], check
    assert any(
        m["content"].startswith("FAITS")
        for b in openai_stub.bodies
        for m in b["messages"]
        if m["role"] == "user"
    )


def test_record_save_load_and_compare(tmp_path, capsys):
    a = {"date": "2026-11-20T10:00:00+00:00", "commit": "abc", "writer": "offline", "model": None,
         "base_url": None, "scores": {"forecast": {"skill_vs_flat": 0.1, "alert_recall": 0.4}}}  # fmt: skip
    b = {**a, "date": "2026-11-21T10:00:00+00:00", "scores": {"forecast": {"skill_vs_flat": 0.25, "alert_recall": 0.4},
                                                               "dunning_writer": {"template.all_checks": 0.9}}}  # fmt: skip
    pa, pb = runner.save(a, tmp_path), runner.save(b, tmp_path)
    assert pa.name == "20261120T100000-offline.json" and pb.name.endswith("-offline.json")
    assert runner.load("last", tmp_path)[0] == pb and runner.load("prev", tmp_path)[0] == pa
    rows = {(r["agent"], r["score"]): r for r in runner.compare(a, b)}
    assert rows[("forecast", "skill_vs_flat")]["delta"] == 0.15
    assert rows[("forecast", "alert_recall")]["delta"] == 0.0
    assert rows[("dunning_writer", "template.all_checks")]["a"] is None
    assert main(["eval", "--compare", str(pa), str(pb)]) == 0
    out = capsys.readouterr().out
    assert "skill_vs_flat" in out and "+0.1500" in out and "2 of 3 scores changed" in out


def test_results_live_in_khazna_home_or_the_folder_named(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("KHAZNA_HOME", str(home))
    assert runner.results_dir() == home / "evals"
    rec = {"date": "2026-11-20T10:00:00+00:00", "commit": "abc", "writer": "offline", "model": None,
           "base_url": None, "scores": {"forecast": {"skill_vs_flat": 0.1}}}  # fmt: skip
    saved = runner.save(rec)
    assert saved.parent == home / "evals"
    assert runner.load("last") == (saved, rec)
    assert runner.load(saved.name)[0] == saved  # a bare name is looked up in the folder
    assert Path(runner.HERE, "results").exists() is False  # nothing inside the package
    other = tmp_path / "mine"
    later = runner.save({**rec, "date": "2026-11-21T10:00:00+00:00"}, other)
    runner.save({**rec, "date": "2026-11-22T10:00:00+00:00"}, other)
    assert main(["eval", "--compare", "prev", "last", "--results", str(other), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["a"]["file"] == str(later) and out["b"]["file"].startswith(str(other))
    assert main(["eval", "--compare", "prev", "last"]) != 0  # one result only in $KHAZNA_HOME
    assert "needs two results in " + str(home / "evals") in capsys.readouterr().err


def test_compare_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("{oops", encoding="utf-8")
    assert main(["eval", "--compare", str(bad), str(bad)]) != 0
    err = capsys.readouterr().err
    assert "x.json" in err and "line 1" in err and "Traceback" not in err


def test_unknown_eval_name_is_a_clear_error(capsys):
    assert main(["eval", "--only", "nope", "--no-record"]) != 0
    assert "unknown eval nope" in capsys.readouterr().err


def test_datasets_are_small_files():
    folder = Path(runner.HERE) / "datasets"
    for f in folder.iterdir():
        assert f.stat().st_size < 200_000, f
    inv = yaml.safe_load((folder / "invoices.yaml").read_text(encoding="utf-8"))["cases"]
    assert len(inv) >= 100 and {c["layout"] for c in inv} == {"json", "pdf", "pdf2"}


def test_assistant_split_may_name_a_bundle_folder_instead_of_a_demo_seed(tmp_path):
    """A held-out split on books written outside the demo generator: ``ledger: {bundle: DIR}``
    imports that folder; the same books through a seed or a folder score the same."""
    from datetime import date

    import yaml

    from khazna.demo.generator import generate
    from khazna.evals import assistant_eval as ae

    header, cases = ae.load_cases(ae.DATASET)
    as_of = header["as_of"]
    generate(
        tmp_path / "books",
        seed=int(header["demo_seed"]),
        as_of=date.fromisoformat(as_of),
    )
    head = cases[:12]
    by_seed = tmp_path / "seed.yaml"
    by_seed.write_text(yaml.safe_dump({"ledger": header, "cases": head}), encoding="utf-8")
    by_dir = tmp_path / "dir.yaml"
    by_dir.write_text(yaml.safe_dump({"ledger": {"bundle": str(tmp_path / "books"), "as_of": as_of}, "cases": head}), encoding="utf-8")  # fmt: skip
    a, b = ae.run(by_seed), ae.run(by_dir)
    assert a["right"] > 0.5
    assert (a["right"], a["wrong"], a["by_kind"]) == (b["right"], b["wrong"], b["by_kind"])
