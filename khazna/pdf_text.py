"""Arabic in PDFs: reportlab neither shapes nor reorders right-to-left text, so Arabic runs
are shaped (arabic-reshaper), put in visual order (python-bidi) and set in a font that has
the glyphs (DejaVu Sans: Debian's fonts-dejavu-core, installed by .ci/run).

:func:`draw_bidi` draws a line run by run in logical order, so the page shows the shaped
right-to-left line and a text extractor reads the words back in the order they were written
(``tests/test_arabic_pdf.py`` extracts them with pypdf)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"))
DEJAVU = tuple(d / "DejaVuSans.ttf" for d in FONT_DIRS)
ARABIC_FONT, ARABIC_FONT_BOLD = "KhaznaArabic", "KhaznaArabicBold"


def has_arabic(text: str) -> bool:
    return bool(ARABIC.search(text or ""))


@cache
def arabic_font() -> str | None:
    """The registered name of a font with Arabic glyphs, or None when none is installed."""
    # lazy: fonts and Arabic shaping only when a PDF is written
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file():
            pdfmetrics.registerFont(TTFont(ARABIC_FONT, str(regular)))
            pdfmetrics.registerFont(
                TTFont(ARABIC_FONT_BOLD, str(bold if bold.is_file() else regular))
            )
            return ARABIC_FONT
    return None


def arabic_font_bold() -> str | None:
    """The bold face registered with :func:`arabic_font` (the regular one when absent)."""
    return ARABIC_FONT_BOLD if arabic_font() else None


def visual(text: str) -> str:
    """Arabic text shaped and in display order (Latin text unchanged)."""
    if not has_arabic(text):
        return text
    # lazy: fonts and Arabic shaping only when a PDF is written
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


def shaped(text: str) -> str:
    """Arabic letters in their contextual forms, still in logical order."""
    if not has_arabic(text):
        return text
    # lazy: Arabic shaping only when a PDF is written
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def bidi_runs(text: str, base: str | None = None) -> list[tuple[str, str, bool]]:
    """The line cut into directional runs, in *logical* order: ``(prefix, run, rtl)`` where
    ``run`` is the run's glyphs as displayed, ``prefix`` everything displayed to its left.

    Drawn one run at a time, in this order, each at ``x + width(prefix)``, the page looks like
    :func:`visual`'s line, and a text extractor (pypdf, which reverses a right-to-left run)
    reads the words back in the order they were written, numbers and invoice ids unbroken.
    ``base`` is the paragraph direction (``L``/``R``), by default that of the first strong
    letter (``Client : شركة …`` is a left-to-right line holding a right-to-left name)."""
    # lazy: bidi only when a PDF is written; the pure-Python algorithm exposes the levels
    from bidi import algorithm as uba

    line = shaped(text)
    if not line:
        return []
    storage = uba.get_empty_storage()
    level = uba.get_base_level(line, False) if base is None else uba.PARAGRAPH_LEVELS[base]
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    uba.get_embedding_levels(line, storage, False, False)
    for i, ch in enumerate(storage["chars"]):
        ch["idx"] = i
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    chars = storage["chars"]  # now in display order, each with its logical index
    display = "".join(ch["ch"] for ch in chars)
    pos = {ch["idx"]: v for v, ch in enumerate(chars)}
    rtl = {ch["idx"]: bool(ch["level"] % 2) for ch in chars}
    runs: list[tuple[str, str, bool]] = []
    start = 0
    n = len(line)
    for i in range(1, n + 1):
        step = 1 if not rtl[start] else -1
        if i < n and rtl[i] == rtl[start] and pos[i] == pos[i - 1] + step:
            continue
        lo, hi = sorted((pos[start], pos[i - 1]))
        runs.append((display[:lo], display[lo : hi + 1], rtl[start]))
        start = i
    return runs


def draw_bidi(
    canvas, x: float, y: float, text: str, *, align: str = "l", base: str | None = None
) -> float:
    """Draw ``text`` (Arabic or mixed) on a reportlab ``canvas`` in its current font: shaped,
    laid out right to left, one run at a time in logical order (see :func:`bidi_runs`).
    ``align`` ``r`` puts the line's right edge at ``x``. Returns the line's width."""
    # lazy: reportlab only when a PDF is written
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font, size = canvas._fontname, canvas._fontsize
    runs = bidi_runs(text, base)
    width = sum(stringWidth(run, font, size) for _p, run, _r in runs)
    left = x - width if align == "r" else x
    # one text object: an extractor keeps the runs on one line (separate BT/ET blocks that
    # step leftwards read back as separate lines)
    obj = canvas.beginText()
    obj.setFont(font, size)
    for prefix, run, _rtl in runs:
        obj.setTextOrigin(left + stringWidth(prefix, font, size), y)
        obj.textOut(run)
    canvas.drawText(obj)
    return width
