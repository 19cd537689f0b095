"""The layouts of the outside set, by name: L1–L4 (`layouts_dev.py`) are the dev split,
L5–L8 (`layouts_heldout.py`) the held-out split, L9–L13 (`layouts_heldout2.py`) the second
held-out split, L14–L19 (`layouts_heldout3.py`) the third, L20–L25 (`layouts_heldout4.py`)
the fourth, L26–L31 (`layouts_heldout5.py`) the fifth. In every layout a mention that is
None is left off the page entirely (label and value), so "absent" means the text holds nothing
that could be it; the one exception is L16, a pre-printed invoice book whose printed labels
("Date :", "Mode de paiement :", "Échéance :", the words sentence) stay with nothing written
after them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from khazna.evals.outside_invoices.layouts_dev import layout_1, layout_2, layout_3, layout_4
from khazna.evals.outside_invoices.layouts_heldout import layout_5, layout_6, layout_7, layout_8
from khazna.evals.outside_invoices.layouts_heldout2 import LAYOUTS as HELDOUT2
from khazna.evals.outside_invoices.layouts_heldout3 import LAYOUTS as HELDOUT3
from khazna.evals.outside_invoices.layouts_heldout4 import LAYOUTS as HELDOUT4
from khazna.evals.outside_invoices.layouts_heldout5 import LAYOUTS as HELDOUT5
from khazna.evals.outside_invoices.layouts_heldout6 import LAYOUTS as HELDOUT6
from khazna.evals.outside_invoices.model import Invoice

LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L1": layout_1,
    "L2": layout_2,
    "L3": layout_3,
    "L4": layout_4,
    "L5": layout_5,
    "L6": layout_6,
    "L7": layout_7,
    "L8": layout_8,
    **HELDOUT2,
    **HELDOUT3,
    **HELDOUT4,
    **HELDOUT5,
    **HELDOUT6,
}
