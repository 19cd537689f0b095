"""Algerian identifiers and the cash stamp duty, as the demo company prints them.

NIF, NIS and AI have no public checksum (spec/algeria.md §2): any digits of the right
length are valid. The RIB carries a mod-97 key over agency + account.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from khazna.money import q2

WILAYAS = ["16", "09", "35", "31", "19", "25", "06"]  # Alger, Blida, Boumerdès, Oran, ...


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def nif(rng: random.Random, wilaya: str = "16") -> str:
    """15 digits; real ones start with the creation year and wilaya, so do these."""
    return f"0{rng.randint(0, 99):02d}{wilaya}{digits(rng, 10)}"


def nis(rng: random.Random, wilaya: str = "16") -> str:
    return f"0{rng.randint(0, 99):02d}{wilaya}{digits(rng, 10)}"


def ai(rng: random.Random, wilaya: str = "16") -> str:
    return f"{wilaya}{digits(rng, 9)}"


def rc(rng: random.Random, wilaya: str = "16", letter: str = "B") -> str:
    """``16/00-0012345 B 19``: wilaya/00-serial letter year."""
    return f"{wilaya}/00-{digits(rng, 7)} {letter} {rng.randint(2, 24):02d}"


def rib_key(agency: str, account: str) -> str:
    k = 97 - (int(agency + account) * 100) % 97
    return f"{(97 if k == 0 else k):02d}"


def rib(rng: random.Random, bank: str = "004") -> str:
    agency = digits(rng, 5)
    account = digits(rng, 10)
    return f"{bank}{agency}{account}{rib_key(agency, account)}"


def spoil_rib(value: str) -> str:
    """The same RIB with a wrong key (the last two digits shifted by one)."""
    key = int(value[-2:])
    wrong = 1 if key >= 97 else key + 1
    return f"{value[:-2]}{wrong:02d}"


def timbre(ttc_before_duty: Decimal) -> Decimal:
    """Droit de timbre on a cash invoice, LF 2025 art. 46 (spec/algeria.md part 1)."""
    if ttc_before_duty <= 300:
        return Decimal("0.00")
    tranches = math.ceil(ttc_before_duty / 100)
    if ttc_before_duty <= 30_000:
        rate = Decimal("1")
    elif ttc_before_duty <= 100_000:
        rate = Decimal("1.5")
    else:
        rate = Decimal("2")
    return q2(max(Decimal(5), rate * tranches))
