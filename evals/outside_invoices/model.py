"""The invoices of the outside set as plain data, and the Algerian arithmetic behind them.

Written from the public rules (`spec/algeria.md`: décret 05-468 mentions, identifier shapes,
VAT 19/9/0 %, droit de timbre on cash payments) and from what ordinary Algerian invoices
look like, never from Khazna's reader or checker: this package imports nothing of Khazna.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    """Round to the centime, half up (how a spreadsheet or a billing program rounds)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Party:
    """A seller or a buyer as the invoice shows it; None = not on the page."""

    name: str | None
    legal_form: str | None
    capital: Decimal | None
    address: str | None
    phone: str | None = None
    rc: str | None = None
    nif: str | None = None
    nis: str | None = None
    ai: str | None = None
    rib: str | None = None
    bank: str | None = None


@dataclass
class Line:
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    rate: int
    amount_delta: Decimal = Decimal(0)  # a seeded error on the printed line total

    @property
    def amount(self) -> Decimal:
        """The printed line total HT."""
        return q2(self.quantity * self.unit_price) + self.amount_delta


@dataclass
class Invoice:
    """One invoice: what is printed, plus the knobs the defects turn."""

    key: str
    layout: str
    number: str | None
    issue_date: date | None
    due_date: date | None
    terms: str | None  # e.g. "Règlement à 30 jours", "Payable à réception"
    method: str | None  # virement | cheque | especes | None (not printed)
    seller: Party
    buyer: Party
    lines: list[Line]
    order_ref: str | None = None  # a purchase order or delivery note cited on the invoice
    order_date: date | None = None
    words_shown: bool = True
    words_delta: Decimal = Decimal(0)
    ht_delta: Decimal = Decimal(0)
    tva_delta: Decimal = Decimal(0)
    ttc_delta: Decimal = Decimal(0)
    timbre_mode: str = "auto"  # auto | none | wrong | unexpected | on_ht | flat
    defects: list[str] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)
    tolerated: set[str] = field(default_factory=set)

    # --- the printed totals, derived from the lines and the knobs ---
    @property
    def total_ht(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal(0)) + self.ht_delta

    @property
    def tva_by_rate(self) -> dict[int, Decimal]:
        out: dict[int, Decimal] = {}
        for ln in self.lines:
            out[ln.rate] = out.get(ln.rate, Decimal(0)) + q2(ln.amount * ln.rate / 100)
        if self.tva_delta and out:
            first = sorted(out, reverse=True)[0]
            out[first] += self.tva_delta
        return dict(sorted(out.items(), reverse=True))

    @property
    def total_tva(self) -> Decimal:
        return sum(self.tva_by_rate.values(), Decimal(0))

    @property
    def timbre(self) -> Decimal | None:
        """The printed droit de timbre, None when the invoice shows none."""
        base = self.total_ht + self.total_tva
        if self.timbre_mode == "none":
            return None
        if self.timbre_mode == "unexpected":
            return stamp_duty(base) or Decimal(5)
        if self.method != "especes":
            return None
        duty = stamp_duty(base)
        if self.timbre_mode == "on_ht":  # the duty worked out on the HT, not on the TTC
            on_ht = stamp_duty(self.total_ht)
            return on_ht if on_ht and on_ht != duty else duty + 5
        if self.timbre_mode == "flat":  # 1 DA per 100 DA whatever the bracket
            return max(Decimal(5), Decimal(math.ceil(base / 100)))
        if self.timbre_mode == "wrong":
            return duty + max(Decimal(10), q2(duty / 2))
        return duty if duty else None

    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.total_tva + (self.timbre or Decimal(0)) + self.ttc_delta

    @property
    def words(self) -> str | None:
        if not self.words_shown:
            return None
        return amount_in_words(self.total_ttc + self.words_delta)


def stamp_duty(ttc: Decimal) -> Decimal:
    """Droit de timbre on a cash payment (LF 2025 art. 46), on the TTC before the duty."""
    if ttc <= 300:
        return Decimal(0)
    per100 = math.ceil(ttc / 100)
    if ttc <= 30000:
        rate = Decimal(1)
    elif ttc <= 100000:
        rate = Decimal("1.5")
    else:
        rate = Decimal(2)
    return max(Decimal(5), q2(per100 * rate))


def rib_key(agency: str, account: str) -> str:
    """The RIB key: 97 − ((agency‖account) × 100 mod 97)."""
    return f"{97 - (int(agency + account) * 100) % 97:02d}"


# --- amounts in French words, the traditional spelling (quatre-vingts, deux cents...) ---
_UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int, plural: bool = True) -> str:
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens == 7:
        return "soixante et onze" if n == 71 else "soixante-" + _below_100(n - 60)
    if tens == 8:
        return (
            ("quatre-vingts" if plural else "quatre-vingt")
            if unit == 0
            else ("quatre-vingt-" + _UNITS[unit])
        )
    if tens == 9:
        return "quatre-vingt-" + _below_100(n - 80)
    if unit == 0:
        return _TENS[tens]
    if unit == 1:
        return _TENS[tens] + " et un"
    return _TENS[tens] + "-" + _UNITS[unit]


def _below_1000(n: int, plural: bool = True) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_100(rest, plural)
    head = "cent" if hundreds == 1 else _UNITS[hundreds] + " cent"
    if rest == 0:
        return head + ("s" if hundreds > 1 and plural else "")
    return head + " " + _below_100(rest, plural)


def number_in_words(n: int) -> str:
    """0 ≤ n < 10¹²: "cent dix-neuf mille deux cent quatre-vingt-cinq"."""
    if n == 0:
        return "zéro"
    billions, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    thousands, units = divmod(rest, 1000)
    parts = []
    if billions:
        parts.append("un milliard" if billions == 1 else _below_1000(billions) + " milliards")
    if millions:
        parts.append("un million" if millions == 1 else _below_1000(millions) + " millions")
    if thousands:
        parts.append("mille" if thousands == 1 else _below_1000(thousands, False) + " mille")
    if units:
        parts.append(_below_1000(units))
    return " ".join(parts)


def amount_in_words(amount: Decimal) -> str:
    """ "… dinars algériens et … centimes" (centimes left out when there are none)."""
    dinars = int(amount)
    centimes = int((amount - dinars) * 100)
    text = number_in_words(dinars) + (" dinar algérien" if dinars == 1 else " dinars algériens")
    if centimes:
        text += " et " + number_in_words(centimes) + (" centime" if centimes == 1 else " centimes")
    return text
