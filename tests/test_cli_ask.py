"""``khazna ask`` offline as a user runs it: the reading beside the answer, an honest null for
an unknown name, and no graph, model client or vector store loaded for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from khazna.cli import main
from tests.bundles import write_bundle

PROBE = """
import json, sys
from khazna.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("langgraph", "chromadb", "langchain_core", "langchain_openai") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "KHAZNA_DB_URL")}
    env["KHAZNA_HOME"] = str(tmp_path / "home")
    return env


def test_ask_json_says_how_it_read_the_question(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    assert main(["ask", "total des créances ?", "--db", db, "--as-of", "2026-03-31", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["value"] == 254600 and out["route"] == "assistant"
    assert out["understood"].startswith("Compris : créances ouvertes")
    assert out["answer"].startswith(out["understood"])
    assert out["query"]["measure"] == "open_receivables"
    assert out["model"] == "offline" and out["model_calls"] == 0


def test_ask_an_unknown_client_is_an_honest_null(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    q = "Combien nous doit Mobilis au 31/03/2026 ?"  # no such client
    assert main(["ask", q, "--db", db, "--as-of", "2026-03-31", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["value"] is None and out["items"] == []
    assert out["unresolved"] == ["Mobilis"] and "« Mobilis »" in out["answer"]


def test_an_offline_question_loads_no_graph_nor_vector_store(tmp_path):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    args = ["ask", "total des créances ?", "--db", db, "--as-of", "2026-03-31", "--json"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe == {"code": 0, "heavy": []}
    assert json.loads(done.stdout)["value"] == 254600


def test_a_day_without_its_year_is_the_latest_such_day_before_the_as_of(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(write_bundle(tmp_path / "b")), "--db", db]) == 0
    capsys.readouterr()
    assert main(["ask", "créances au 15/02 ?", "--db", db, "--as-of", "2026-03-31", "--json"]) == 0
    short = json.loads(capsys.readouterr().out)
    assert (
        main(["ask", "créances au 15/02/2026 ?", "--db", db, "--as-of", "2026-03-31", "--json"])
        == 0
    )
    full = json.loads(capsys.readouterr().out)
    assert short["query"]["on"] == "2026-02-15" and short["value"] == full["value"]
    assert "au 15/02/2026" in short["answer"].split("\n", 1)[1]  # the body says the day asked
    assert not short.get("unresolved")
