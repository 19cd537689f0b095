"""Latin tokens inside Arabic text keep their order once laid out right to left.

The layout is computed by python-bidi (the Unicode bidi algorithm, isolates included), not
by comparing with the isolation's own output: a name split into several isolates around an
accented letter or an "&" came out as « Maintenance & mesèWahran Syst » in a mail reader.
"""

from __future__ import annotations

import pytest
from bidi import get_display

from khazna.text import LRI, PDI, isolate_latin, strip_bidi


def _shown(text: str) -> str:
    return strip_bidi(get_display(text))


@pytest.mark.parametrize(
    "latin",
    [
        "Wahran Systèmes & Maintenance",
        "Sétif Matériaux",
        "APC d'Oran",
        "Société Générale Algérie",
        "F2026-0414",
        "8 330,00",
    ],
)
def test_a_latin_run_in_arabic_is_one_isolate_and_reads_in_order(latin: str) -> None:
    text = f"نرجو من شركة {latin} تسديد المبلغ"
    isolated = isolate_latin(text)
    assert isolated.count(LRI) == 1 and isolated.count(PDI) == 1
    assert f"{LRI}{latin}{PDI}" in isolated
    assert latin in _shown(isolated)


def test_two_latin_runs_apart_stay_two_isolates() -> None:
    isolated = isolate_latin("الفاتورة F2026-0414 بمبلغ 8 330,00 دج")
    assert isolated.count(LRI) == 2
    assert f"{LRI}F2026-0414{PDI}" in isolated and f"{LRI}8 330,00{PDI}" in isolated


def test_french_text_is_left_alone() -> None:
    assert isolate_latin("Wahran Systèmes & Maintenance") == "Wahran Systèmes & Maintenance"
