"""The bundle's cells read a column at a time (issue 16): the values of a block of rows
that :func:`khazna.ledger.csvio.read_blocks` split in C, parsed as ``bundle_spec`` says,
with one check or one C-level pass per column instead of Python code per cell.

The columnar reader only vouches for blocks where every cell reads: a column with a value
the row-by-row reader would refuse, or a text it would change with a warning, raises
:class:`~khazna.ledger.csvio.Unusual` and the importer reads the file again row by row,
which names every problem ``file:line: column: message``. What it returns is what the
row-by-row reader (``bundle._RowReader``) returns for the same cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from operator import methodcaller
from typing import Any

from khazna.ledger import bundle_spec as bs
from khazna.ledger.csvio import Unusual, restore

_APOSTROPHE = methodcaller("startswith", "'")


def _ids_ok(values: Sequence[str], joined: str) -> bool:
    """Whether every value is an acceptable id (:func:`bundle_spec.id_problem`): no
    forbidden character in all of them at once, and no ``.``/``..`` segment in those with a
    dot. Empty values are not judged here."""
    if bs.ID_FORBIDDEN.search(joined):
        return False
    return "." not in joined or not any(bs.id_problem(v) for v in values if "." in v)


class ColumnReader:
    """Reads blocks of one file's columns into columns of values; the plan (which cell,
    which way) is made once per file from its header."""

    def __init__(self, spec: bs.FileSpec, header: list[str]) -> None:
        at = {h: i for i, h in enumerate(header)}
        self.plan = [(col, at.get(col, -1), cs) for col, cs in spec.columns.items()]

    def read(self, block: list[tuple[str, ...]]) -> dict[str, Sequence[Any]]:
        n = len(block[0])
        out: dict[str, Sequence[Any]] = {}
        for col, i, cs in self.plan:
            if i < 0:  # an optional column the file does not have: its default throughout
                out[col] = (cs.default,) * n
                continue
            values: Sequence[str] = block[i]
            joined = "".join(values)
            if "'" in joined and any(
                map(_APOSTROPHE, values)
            ):  # a cell `khazna export` neutralised
                values = tuple(map(restore, values))
                joined = "".join(values)
            out[col] = _column(cs, values, joined)
        return out


def _column(cs: bs.Col, values: Sequence[str], joined: str) -> Sequence[Any]:
    """The values of one column (``joined``: all of them end to end)."""
    parse, default = cs.parse, cs.default
    empty = "" in values
    if empty and cs.required:
        raise Unusual("required value is empty")
    if parse is bs.text:
        if bs.TEXT_CONTROLS.search(joined):  # removed with a warning per cell
            raise Unusual("control characters")
        return [v or default for v in values] if empty and default != "" else values
    if parse in bs.FEW_VALUES:  # enumerations, dates, terms: each distinct text read once
        try:
            memo = {v: parse(v) for v in set(values) if v}
        except bs.Invalid:
            raise Unusual("a value does not read") from None
        memo[""] = default
        return list(map(memo.__getitem__, values))
    if parse is bs.ident or parse is bs.ref:
        if not _ids_ok(values, joined):
            raise Unusual("not an id")
        return [v or default for v in values] if empty and default != "" else values
    if parse is bs.money or parse is bs.positive_money:
        given = [v for v in values if v] if empty else values
        if all(map(bs.PLAIN_EXACT.fullmatch, given)):
            amounts = list(map(Decimal, given))
            if parse is bs.positive_money and amounts and min(amounts) <= 0:
                raise Unusual("not positive")
        else:
            amounts = _each(parse, given, default)
        if not empty:
            return amounts
        it = iter(amounts)
        return [default if v == "" else next(it) for v in values]
    return _each(parse, values, default)


def _each(parse: bs.Parser, values: Sequence[str], default: Any) -> list[Any]:
    """``parse`` of every value, ``default`` for an empty one."""
    try:
        return [parse(v) if v else default for v in values]
    except bs.Invalid:
        raise Unusual("a value does not read") from None
