"""A letter's HTML part, rendered from its approved text (nothing more, nothing less).

The text is what the owner approved; the HTML says the same thing. Paragraphs (blank-line
separated) become ``<p>``; a block of the text that is exactly a table's text form (one line
per invoice, written by the composer from the same rows) becomes a real ``<table>`` — with
``dir="rtl"`` in Arabic, so the columns read right to left and « دج » stays beside its amount.
A block the owner edited is no longer a table's text and is shown as the lines written.
Latin tokens inside Arabic (invoice numbers, dates, amounts, the RIB) are isolated
(:func:`khazna.text.isolate_latin`, and ``<bdi>`` in the cells) so they never break or move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from khazna.text import isolate_latin

RTL_LANGUAGES = frozenset({"ar"})


@dataclass(frozen=True)
class TextTable:
    """A table as the letter's text writes it (``text``: its lines) and as cells."""

    text: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned as figures


STYLE_TABLE = "border-collapse:collapse;margin:8px 0"
STYLE_CELL = "border:1px solid #ccc;padding:4px 8px;white-space:nowrap"


def _bare(text: str) -> str:
    """Compare blocks without the marks a text form carries (RLM, isolates)."""
    return "".join(c for c in text if c not in "\u200e\u200f\u2066\u2067\u2068\u2069").strip()


def _lines(block: str) -> str:
    return "<br>\n".join(escape(line) for line in block.split("\n"))


def table_html(table: TextTable, language: str) -> str:
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    align = "left" if direction == "rtl" else "right"  # figures against the far edge
    start = "right" if direction == "rtl" else "left"

    def cell(tag: str, value: str, k: int) -> str:
        side = align if k in table.numeric else start
        return (
            f'<{tag} style="{STYLE_CELL};text-align:{side}"><bdi>{escape(_bare(value))}</bdi>'
            f"</{tag}>"
        )

    head = "".join(cell("th", c, k) for k, c in enumerate(table.columns))
    body = "\n".join(
        "<tr>" + "".join(cell("td", v, k) for k, v in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return (
        f'<table dir="{direction}" style="{STYLE_TABLE}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def letter_html(text: str, language: str, tables: Sequence[TextTable] = ()) -> str:
    """The HTML fragment of ``text`` (wrapped into a document by
    :func:`khazna.mail.message.html_document`, which sets ``lang`` and ``dir``)."""
    rtl = language in RTL_LANGUAGES
    by_text = {_bare(t.text): t for t in tables}
    parts = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        table = by_text.get(_bare(block))
        if table is not None:
            parts.append(table_html(table, language))
            continue
        shown = isolate_latin(block) if rtl else block
        parts.append(f'<p dir="{"rtl" if rtl else "auto"}">{_lines(shown)}</p>')
    font = "font-family:Tahoma,Arial,sans-serif;font-size:15px;line-height:1.5"
    return f'<div style="{font}">\n' + "\n".join(parts) + "\n</div>"
