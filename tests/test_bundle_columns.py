"""The bundle import's columnar path (issue 16.1) stores, counts, warns and refuses exactly
as the row-by-row path: each bundle here is imported both ways and the ledgers compared."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from khazna.demo.generator import generate
from khazna.ledger import bundle, csvio
from khazna.ledger.bundle import BundleError, import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.schema import METADATA
from tests.bundles import FILES, write_bundle


def _dump(ledger: Ledger) -> dict[str, list[tuple]]:
    """Every row of every table (the import run's time and folder aside), in a fixed order."""
    out = {}
    with ledger.read() as s:
        for table in METADATA.sorted_tables:
            skip = ("at", "source") if table.name == "import_runs" else ()
            cols = [c for c in table.columns if c.name not in skip]
            rows = s.execute(select(*cols)).all()
            out[table.name] = sorted((tuple(map(repr, r)) for r in rows), key=repr)
    return out


def _both(tmp_path: Path, monkeypatch, folders: list[Path]) -> tuple[Any, Any]:
    """Import ``folders`` in turn into two fresh ledgers, columnar and row by row; the
    reports (or the problems of a refusal) and table contents of each way."""
    results = []
    for way, columnar in (("columns", bundle.COLUMNAR), ("rows", set())):
        monkeypatch.setattr(bundle, "COLUMNAR", columnar)
        ledger = Ledger(f"sqlite:///{tmp_path / way}.db")
        said: list[Any] = []
        for folder in folders:
            try:
                r = import_bundle(ledger, folder)
                said.append((r.counts, r.unchanged, r.updated, r.warnings))
            except BundleError as err:
                said.append(err.problems)
        results.append((said, _dump(ledger)))
    monkeypatch.setattr(bundle, "COLUMNAR", bundle.COLUMNAR)
    return results[0], results[1]


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of a few rows and a few hundred bytes, so that every file spans several."""
    monkeypatch.setattr(bundle, "COLUMN_BLOCK", 3)
    monkeypatch.setattr(csvio, "BLOCK_BYTES", 200)


def test_demo_books_stored_the_same_both_ways_and_again(tmp_path, monkeypatch) -> None:
    generate(tmp_path / "demo", seed=7, as_of=date(2026, 11, 16))
    rows_taken: list[str] = []
    load_rows = bundle._Importer._load_rows

    def spy(self, spec, model, path):
        if bundle.COLUMNAR:  # the columnar way's imports
            rows_taken.append(spec.name)
        return load_rows(self, spec, model, path)

    monkeypatch.setattr(bundle._Importer, "_load_rows", spy)
    columns, rows = _both(tmp_path, monkeypatch, [tmp_path / "demo", tmp_path / "demo"])
    assert columns == rows
    (first, again), dump = columns[0], columns[1]
    assert first[0]["bank_lines.csv"] > 500 and sum(again[0].values()) == 0  # idempotent
    assert len(dump["bank_lines"]) == first[0]["bank_lines.csv"]
    # the columnar way read its files without falling back to the rows
    assert rows_taken and not set(rows_taken) & bundle.COLUMNAR


def test_cells_out_of_the_common_case_read_the_same(tmp_path, monkeypatch, small_blocks) -> None:
    """Neutralised cells, empty optional cells, CRLF, a BOM, blank lines, a quoted label
    over two lines, an unknown column, repeated bank lines, a credit note naming an invoice
    of an earlier block: all read by the columnar path, stored as the row-by-row path does."""
    bank = (
        "\ufeffline_id,account,date,label,amount,reference,extra\r\n"
        "L1,,2026-01-05,'=SUM(A1),-100.00,,x\r\n"
        '\r\nL2,main,2026-01-05,"two\nlines",-100.00,,\r\n'
        "L3,main,2026-01-05,PRLV  SONELGAZ,-2500.5,REF 9,\r\n"
        "L4,main,2026-01-05,prlv sonelgaz,-2500.50,ref 9,\r\n"
        "L5,BNA 02,2026-01-06,Virement reçu Élise,+0012.00,,\r\n"
        "\r\n"
    )
    invoices = FILES["invoices.csv"].replace(",0,119000.00", ",,119000.00")
    folder = write_bundle(tmp_path / "b", **{"bank_lines.csv": bank, "invoices.csv": invoices})
    columns, rows = _both(tmp_path, monkeypatch, [folder, folder])
    assert columns == rows
    (first, again), dump = columns
    assert first[0]["bank_lines.csv"] == 5 and again[1]["bank_lines.csv"] == 5
    assert "bank_lines.csv:1: extra: colonne inconnue ignorée" in first[3]
    stored = {r[0]: r for r in dump["bank_lines"]}
    assert stored["'L1'"][3] == "'=SUM(A1)'" and stored["'L2'"][3] == "'two\\nlines'"
    assert stored["'L4'"][7] == "2"  # the same line twice: occurrence 2


@pytest.mark.parametrize(
    ("file", "row", "expected"),
    [
        ("bank_lines.csv", "L9,main,2026-01-31,x,12.345,", "bank_lines.csv:7: amount:"),
        ("bank_lines.csv", "B001,main,2026-01-31,again,1.00,", "bank_lines.csv:7: line_id:"),
        ("bank_lines.csv", "L9,main,2026-02-30,x,1.00,", "bank_lines.csv:7: date:"),
        ("bank_lines.csv", "L9,main,2026-01-31,a\x07b,1.00,", None),  # a warning, not a problem
        ("payments.csv", "P9,2026-02-01,C09,F2026-0001,10.00,virement,,cleared", "payments.csv:"),
        ("payments.csv", "P9,2026-02-01,C01,F2099-0001,10.00,virement,,cleared", "payments.csv:"),
        ("payments.csv", "P9,2026-02-01,C01,F2026-0001,-10.00,virement,,cleared", "payments.csv:"),
        ("invoices.csv", "F2026-0009,C01,2026-03-01,,virement,-1,0,0,-1,issued,", "invoices.csv:6:"),
        ("invoices.csv", "F2026-0009,C01,2026-03-01,,virement,1,0,0,1,issued,F2026-0009", "invoices.csv:6:"),
        ("clients.csv", "C09,Client\tNeuf,pme,,,fr,30,,,,,", "clients.csv:5: name:"),
        ("clients.csv", "C09,Client Neuf,pme,,,fr,400,,,,,", "clients.csv:5: payment_terms_days:"),
        ("clients.csv", "C09,Client Neuf,pme,,,fr,30", "clients.csv:5: -: la ligne a"),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_as_the_row_by_row_path_names_it(
    tmp_path, monkeypatch, small_blocks, file, row, expected
) -> None:
    """A value the columnar path does not vouch for sends the file row by row: the same
    problems (file:line: column:), nothing stored; the other files' state is put back."""
    content = FILES[file].rstrip("\n") + "\n" + row + "\n"
    folder = write_bundle(tmp_path / "b", **{file: content})
    columns, rows = _both(tmp_path, monkeypatch, [folder])
    assert columns == rows
    said = columns[0][0]
    if expected is None:
        assert isinstance(said, tuple) and any("caractère de contrôle" in w for w in said[3])
    else:
        assert isinstance(said, list) and any(p.startswith(expected) for p in said), said
        assert columns[1]["bank_lines"] == [] and columns[1]["invoices"] == []


def test_a_record_that_differs_from_the_ledger_is_refused_with_its_line(
    tmp_path, monkeypatch, small_blocks
) -> None:
    first = write_bundle(tmp_path / "a")
    changed = FILES["bank_lines.csv"].replace("-1200000.00", "-1200000.01")
    second = write_bundle(tmp_path / "b", **{"bank_lines.csv": changed})
    columns, rows = _both(tmp_path, monkeypatch, [first, second])
    assert columns == rows
    problems = columns[0][1]
    assert isinstance(problems, list)
    assert any(p.startswith("bank_lines.csv:") and "déjà au grand livre" in p for p in problems)


def test_bytes_the_columnar_reader_does_not_vouch_for(tmp_path, monkeypatch) -> None:
    """Not UTF-8, a line past the limit: the row-by-row reader names them."""
    monkeypatch.setattr(csvio, "MAX_LINE_BYTES", 300)
    monkeypatch.setattr(csvio, "BLOCK_BYTES", 300)
    for bad in (
        b"L9,main,2026-01-31,caf\xe9,1.00,\n",
        b"L9,main,2026-01-31," + b"x" * 400 + b",1.00,\n",
    ):
        folder = write_bundle(tmp_path / f"b{len(bad)}")
        with (folder / "bank_lines.csv").open("ab") as f:
            f.write(bad)
        columns, rows = _both(tmp_path / f"l{len(bad)}", monkeypatch, [folder])
        assert columns == rows
        assert any(p.startswith("bank_lines.csv:7: ") for p in columns[0][0])


def _index_names(ledger: Ledger) -> set[str]:
    from sqlalchemy import inspect

    found = set()
    for table in ("bank_lines", "invoices", "payments", "allocations"):
        found |= {i["name"] for i in inspect(ledger.engine).get_indexes(table)}
    return found


def test_texts_and_indexes_on_every_back_end(db_url, tmp_path, monkeypatch) -> None:
    """A label with a TAB, a backslash and a line break is stored exactly (COPY's text
    format on PostgreSQL escapes them); the indexes dropped during a first import are back
    after it, and after a refused one."""
    monkeypatch.setattr(bundle, "DEFER_INDEXES_BYTES", 0)
    ledger = Ledger(db_url)
    indexes = _index_names(ledger)
    assert "ix_bank_lines_date" in indexes
    label = 'VIR\tC:\\compta\\N "x"\nsuite'
    quoted = '"' + label.replace('"', '""') + '"'
    bank = FILES["bank_lines.csv"] + f"B009,main,2026-03-02,{quoted},-1.00,\\N\n"
    bad = FILES["commitments.csv"] + "K02,Loyer,loyer,-5,5,1,2026-01-01,\n"
    with pytest.raises(BundleError):
        import_bundle(ledger, write_bundle(tmp_path / "bad", **{"commitments.csv": bad}))
    assert _index_names(ledger) == indexes
    report = import_bundle(ledger, write_bundle(tmp_path / "b", **{"bank_lines.csv": bank}))
    assert report.counts["bank_lines.csv"] == 6 and _index_names(ledger) == indexes
    from khazna.ledger.models import BankLine

    with ledger.read() as s:
        line = s.get(BankLine, "B009")
        assert line is not None and (line.label, line.reference) == (label, "\\N")
        assert line.value_date is None and line.occurrence == 1


def test_a_column_of_one_value_is_stored_as_that_value(tmp_path, monkeypatch) -> None:
    """Columns of one value throughout (written once into the INSERT): an account with an
    apostrophe, no reference, occurrence 1, the empty source: stored as given."""
    lines = "".join(f"B{k},Compte d'Ali,2026-01-0{k},L{k},-{k}.00,\n" for k in range(1, 6))
    folder = write_bundle(
        tmp_path / "b",
        **{"bank_lines.csv": "line_id,account,date,label,amount,reference\n" + lines},
    )
    columns, rows = _both(tmp_path, monkeypatch, [folder])
    assert columns == rows
    stored = columns[1]["bank_lines"]
    assert {r[1] for r in stored} == {repr("Compte d'Ali")} and {r[7] for r in stored} == {"1"}


@pytest.mark.parametrize(
    "line",
    [
        "B9, main ,2026-03-02, x ,-1.00,",
        " B9,main,2026-03-02,x,-1.00, ",
        "B9,main,2026-03-02,x\x0b,-1.00,",
    ],
)
def test_cells_with_white_space_at_an_edge_are_stripped(
    tmp_path, monkeypatch, small_blocks, line
) -> None:
    folder = write_bundle(
        tmp_path / "b", **{"bank_lines.csv": FILES["bank_lines.csv"] + line + "\n"}
    )
    columns, rows = _both(tmp_path, monkeypatch, [folder])
    assert columns == rows
    stored = {r[0]: r for r in columns[1]["bank_lines"]}
    assert stored["'B9'"][1:4] == ("'main'", repr(date(2026, 3, 2)), "'x'")
