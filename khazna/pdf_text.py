"""Arabic in PDFs: reportlab neither shapes nor reorders right-to-left text, so Arabic runs
are shaped (arabic-reshaper), put in visual order (python-bidi) and set in a font that has
the glyphs (DejaVu Sans: Debian's fonts-dejavu-core, installed by .ci/run)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
DEJAVU = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
ARABIC_FONT = "KhaznaArabic"


def has_arabic(text: str) -> bool:
    return bool(ARABIC.search(text or ""))


@cache
def arabic_font() -> str | None:
    """The registered name of a font with Arabic glyphs, or None when none is installed."""
    # lazy: fonts and Arabic shaping only when a PDF is written
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in DEJAVU:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(ARABIC_FONT, str(path)))
            return ARABIC_FONT
    return None


def visual(text: str) -> str:
    """Arabic text shaped and in display order (Latin text unchanged)."""
    if not has_arabic(text):
        return text
    # lazy: fonts and Arabic shaping only when a PDF is written
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))
