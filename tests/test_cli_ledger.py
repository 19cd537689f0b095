"""The ledger commands as a user runs them: exit codes, stderr messages, JSON on stdout."""

from __future__ import annotations

import json

import pytest

from khazna.cli import main
from tests.bundles import FILES, write_bundle


def test_import_status_export_round_trip(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    bundle = write_bundle(tmp_path / "b")
    assert main(["import", str(bundle), "--db", db, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"]["invoices.csv"] == 4 and out["imported"]["bank_lines.csv"] == 5
    assert main(["import", str(bundle), "--db", db]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main(["status", "--db", db, "--as-of", "2026-03-31", "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert (
        st["cash_position"] == 3150000
        and st["open_receivables"] == 254600
        and st["open_invoices"] == 2
    )
    assert st["counts"]["invoices"] == 4 and st["date_from"] == "2026-01-10"
    assert main(["status", "--db", db, "--as-of", "2026-03-31"]) == 0
    assert "3\u202f150\u202f000,00 DA" in capsys.readouterr().out
    assert main(["export", str(tmp_path / "out"), "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exported"]["payments.csv"] == 3


def test_a_refused_bundle_names_every_problem_and_exits_2(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    bad = FILES["invoices.csv"].replace("C03,2026-02-01", "C99,2026-02-01")
    code = main(
        ["import", str(write_bundle(tmp_path / "b", invoices_csv=bad)), "--db", db, "--json"]
    )
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "rien n'a été importé" in captured.err
    assert "invoices.csv:4: client_id: client inconnu 'C99'" in captured.err
    assert "Traceback" not in captured.err
    assert main(["status", "--db", db]) == 1
    assert "est vide" in capsys.readouterr().err


def test_a_2_gb_bundle_file_is_refused_by_name(tmp_path, capsys):
    bundle = write_bundle(tmp_path / "b")
    with (bundle / "bank_lines.csv").open("r+b") as f:
        f.truncate(2 * 1024**3)  # sparse: costs no disk
    code = main(["import", str(bundle), "--db", f"sqlite:///{tmp_path / 'l.db'}"])
    err = capsys.readouterr().err
    assert (
        code == 2
        and "bank_lines.csv:-: -: le fichier fait 2,0 Gio" in err
        and "khazna import-bank" in err
    )


def test_not_a_folder_and_as_of_before_the_books(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert main(["import", str(tmp_path / "nope"), "--db", db]) == 2
    assert "pas un dossier" in capsys.readouterr().err
    main(["import", str(write_bundle(tmp_path / "b")), "--db", db])
    capsys.readouterr()
    assert main(["status", "--db", db, "--as-of", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    assert "précède le début des comptes" in out and "trésorerie" in out


def test_as_of_reads_the_day_first_form_too(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    main(["import", str(write_bundle(tmp_path / "b")), "--db", db])
    capsys.readouterr()
    assert main(["status", "--db", db, "--as-of", "2026-03-31", "--json"]) == 0
    iso = json.loads(capsys.readouterr().out)
    assert main(["status", "--db", db, "--as-of", "31/03/2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == iso
    with pytest.raises(SystemExit) as exit_:
        main(["status", "--db", db, "--as-of", "31/02/2026"])
    assert exit_.value.code == 2
    assert "date invalide (AAAA-MM-JJ ou JJ/MM/AAAA) : '31/02/2026'" in capsys.readouterr().err


def test_status_says_when_the_day_is_outside_the_records(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    main(["import", str(write_bundle(tmp_path / "b")), "--db", db])
    capsys.readouterr()
    positions = {}
    for day in ("2025-06-01", "2026-01-01", "2026-02-15", "2026-03-01", "2027-01-01"):
        assert main(["status", "--db", db, "--as-of", day, "--json"]) == 0
        positions[day] = json.loads(capsys.readouterr().out)["as_of_position"]
    assert positions == {
        "2025-06-01": "before_books",  # before the opening date (the note of that case)
        "2026-01-01": "before_first_record",  # the books open on 01/01, records from 10/01
        "2026-02-15": "within",
        "2026-03-01": "within",  # the last record's day
        "2027-01-01": "after_last_record",
    }
    assert main(["status", "--db", db, "--as-of", "2027-01-01"]) == 0
    out = capsys.readouterr().out
    assert (
        "note : le 01/01/2027 est après le dernier enregistrement (01/03/2026) : rien n'est "
        "enregistré depuis le 01/03/2026" in out
    )
    assert main(["status", "--db", db, "--as-of", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert "note : le 01/01/2026 précède le premier enregistrement (10/01/2026)" in out
    assert main(["status", "--db", db, "--as-of", "2026-02-15"]) == 0
    assert "enregistrement" not in capsys.readouterr().out
