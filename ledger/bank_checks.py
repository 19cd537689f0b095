"""What a bank statement must agree with before its lines join the ledger.

Three checks, so that a statement can never double the cash:

- **which account**: the statement's own account number (a RIB or account number in the
  title rows, or an account column) matched against the ledger's accounts
  (:func:`resolve_account`); never a silent default when the ledger holds several;
- **already there**: the same operations (date, amount, and label or reference) looked for
  in *every* account over the statement's period (:func:`classify`); lines already in the
  target account are skipped, and a statement mostly found under another account is refused;
- **balances**: the statement's running ``Solde`` column and its opening/closing balances
  must add up, and agree with the ledger after the import (:func:`reconcile`); the first
  line where they diverge is named.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from khazna.ledger.bank_mappings import normalise_header
from khazna.money import format_dzd
from khazna.text import ascii_fold

# A label naming the account, then its number (digits with spaces, dots or dashes).
_LABELLED = re.compile(
    r"\b(?:r\s*i\s*b|iban|compte(?:\s+(?:n|no|numero))?|n\s+(?:de\s+)?compte|numero\s+de\s+compte"
    r"|account(?:\s+(?:no|number))?)\b[^0-9]{0,12}((?:dz\s*)?[0-9][0-9 .\-]{8,40}[0-9])"
)
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9](?:[ .\-]?[0-9]){19,25}(?![0-9])")
MIN_ACCOUNT_DIGITS = 10  # an account number; shorter runs are dates, amounts, agencies
_OPENING = re.compile(
    r"^(ancien solde|solde initial|solde d ouverture|solde debut|solde de debut|solde precedent"
    r"|solde au debut|solde anterieur|report|report a nouveau|opening balance)\b"
)
_CLOSING = re.compile(
    r"^(nouveau solde|solde final|solde de cloture|solde fin|solde en fin|solde a la fin"
    r"|closing balance)\b"
)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def account_number_in(rows: Iterable[list[str]]) -> str | None:
    """The account number a statement's title rows give, as digits (None when none)."""
    texts = [" ".join(c for c in row if c) for row in rows]
    for t in texts:
        folded = " ".join(re.sub(r"[^0-9a-z.\-]+", " ", ascii_fold(t).casefold()).split())
        if (m := _LABELLED.search(folded)) and len(d := digits(m.group(1))) >= MIN_ACCOUNT_DIGITS:
            return d
    for t in texts:
        if m := _LONG_NUMBER.search(t):
            return digits(m.group(0))
    return None


def same_account(number: str, account_id: str) -> bool:
    """A statement's number and a ledger account id name the same account: the same digits,
    or one inside the other (an account number is the middle of its 20-digit RIB)."""
    d = digits(account_id)
    if len(d) < MIN_ACCOUNT_DIGITS or len(number) < MIN_ACCOUNT_DIGITS:
        return False
    return d == number or d in number or number in d


class AccountRefused(Exception):
    """The account cannot be told; the message says what to pass."""


@dataclass(frozen=True)
class LedgerAccount:
    account: str
    lines: int
    last: date | None


def _listing(accounts: list[LedgerAccount]) -> str:
    return ", ".join(f"'{a.account}' ({a.lines} lines, last {a.last})" for a in accounts)


def resolve_account(
    given: str | None,
    number: str | None,
    mapping_account: str | None,
    accounts: list[LedgerAccount],
    *,
    force: bool = False,
) -> tuple[str, str]:
    """(account id, how it was chosen). Raises :class:`AccountRefused`."""
    matching = [a for a in accounts if number and same_account(number, a.account)]
    if given:
        if number and matching and all(a.account != given for a in matching) and not force:
            raise AccountRefused(
                f"the statement is for account {number}, which the ledger holds as "
                f"{_listing(matching)}, not '{given}': drop --account (or pass "
                f"--account {matching[0].account}); --force imports into '{given}' anyway"
            )
        return given, "--account"
    if number:
        if len(matching) == 1:
            return matching[0].account, f"the statement's account number {number}"
        if len(matching) > 1:
            raise AccountRefused(
                f"the statement's account number {number} matches several accounts of the "
                f"ledger: {_listing(matching)}; name one with --account"
            )
        if not accounts:
            return number, f"the statement's account number {number} (a new account)"
        raise AccountRefused(
            f"the statement's account number {number} matches none of the ledger's accounts "
            f"({_listing(accounts)}): pass --account with one of them if it is the same "
            f"account, or --account {number} to record it as a new account"
        )
    if mapping_account:
        return mapping_account, "the mapping's account"
    if not accounts:
        return "main", "the ledger's first account ('main'): the statement names none"
    if len(accounts) == 1:
        return accounts[0].account, "the ledger's only account (the statement names none)"
    raise AccountRefused(
        f"the statement names no account and the ledger holds several: {_listing(accounts)}; "
        "say which with --account"
    )


# ------------------------------------------------------------------------ already there


def label_key(text: str) -> str:
    """A label as compared between a bank's exports: no case, accents or punctuation."""
    return normalise_header(text)


def labels_agree(a: str, b: str, ref_a: str, ref_b: str) -> bool:
    if ref_a and ref_b and label_key(ref_a) == label_key(ref_b):
        return True
    ka, kb = label_key(a), label_key(b)
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return len(short) >= 8 and long_.startswith(short)  # one export truncates labels


@dataclass
class Existing:
    line_id: str
    account: str
    label: str
    reference: str
    fingerprint: str | None
    occurrence: int | None


@dataclass
class Staged:
    line: int
    fingerprint: str
    day: str
    label: str
    cents: int
    reference: str
    occurrence: int = 1
    balance: int | None = None


class LineVerdict(BaseModel):
    line: int
    date: date
    amount: Decimal
    label: str
    action: str  # "add" or "skip"
    reason: str  # "new", "already imported", "same line in this account", "in account X"
    matches: str | None = None  # the ledger line id it matched


@dataclass
class Classified:
    verdicts: list[LineVerdict] = field(default_factory=list)
    skip_lines: list[int] = field(default_factory=list)  # fuzzy matches in the same account
    elsewhere: dict[str, int] = field(default_factory=dict)  # other account → lines found

    @property
    def found_elsewhere(self) -> int:
        return sum(self.elsewhere.values())


def classify(staged: list[Staged], existing: dict[tuple[str, int], list[Existing]],
             account: str) -> Classified:  # fmt: skip
    """Each staged line against the ledger's lines of the same day and amount, every account
    included. One ledger line answers for at most one statement line."""
    out, used = Classified(), set()
    seen: dict[str, int] = defaultdict(int)
    for s in staged:
        seen[s.fingerprint] += 1
        s.occurrence = seen[s.fingerprint]
        cands = [e for e in existing.get((s.day, s.cents), []) if e.line_id not in used]
        exact = next(
            (e for e in cands if e.fingerprint == s.fingerprint and e.account == account), None
        )
        fuzzy = [e for e in cands if labels_agree(s.label, e.label, s.reference, e.reference)]
        here = next((e for e in fuzzy if e.account == account), None)
        there = next((e for e in fuzzy if e.account != account), None)
        amount = Decimal(s.cents).scaleb(-2)
        verdict = LineVerdict(line=s.line, date=date.fromisoformat(s.day), amount=amount,
                              label=s.label, action="add", reason="new")  # fmt: skip
        if exact is not None:
            used.add(exact.line_id)
            verdict.action, verdict.reason, verdict.matches = (
                "skip",
                "already imported",
                exact.line_id,
            )
        elif here is not None:
            used.add(here.line_id)
            out.skip_lines.append(s.line)
            verdict.action, verdict.matches = "skip", here.line_id
            verdict.reason = "the same operation is in this account (label written differently)"
        elif there is not None:
            used.add(there.line_id)
            out.elsewhere[there.account] = out.elsewhere.get(there.account, 0) + 1
            verdict.reason, verdict.matches = f"also in account '{there.account}'", there.line_id
        out.verdicts.append(verdict)
    return out


def doubling_message(found: Classified, rows: int, account: str) -> str:
    where = ", ".join(f"'{a}' ({n} lines)" for a, n in sorted(found.elsewhere.items()))
    first = next(v for v in found.verdicts if v.reason.startswith("also in account"))
    hint = (
        f"import it into that account with --account {next(iter(found.elsewhere))}"
        if len(found.elsewhere) == 1
        else "name the right account with --account"
    )
    return (
        f"{found.found_elsewhere} of the {rows} lines of this statement are already in the "
        f"ledger under another account: {where} (first: line {first.line}, {first.date}, "
        f"{format_dzd(first.amount)}, {first.label!r}). Importing them into '{account}' would "
        f"count that cash twice: {hint}; --force adds them if they are genuinely other "
        "operations"
    )


# ------------------------------------------------------------------------ balances


@dataclass
class BalanceRow:
    line: int
    day: str
    cents: int
    balance: int | None  # the statement's running balance after this line, centimes


@dataclass
class StatementBalances:
    opening: tuple[int, int] | None = None  # (line or 0 for a title row, centimes)
    closing: tuple[int, int] | None = None


def summary_balance(cells: list[str], parse_cents) -> tuple[str, int] | None:
    """("opening"|"closing", centimes) when a title or footer row states a balance
    (``Ancien solde;;;1 234,56`` or ``Solde final : 1 234,56 DA``)."""
    for i, cell in enumerate(cells):
        key = normalise_header(cell)
        kind = "opening" if _OPENING.match(key) else "closing" if _CLOSING.match(key) else None
        if kind is None:
            continue
        for text in [*reversed(cells[i + 1 :]), cell.split(":")[-1]]:
            t = re.sub(r"\s*(da|dzd)\s*$", "", text.strip(), flags=re.IGNORECASE)
            if t and re.fullmatch(r"[-+0-9 \u00a0\u202f.,]+", t) and re.search(r"\d", t):
                try:
                    return kind, parse_cents(t)
                except ValueError:  # MoneyError is a ValueError: a date, a count
                    continue
        return None
    return None


def check_running(rows: Iterable[BalanceRow], given: StatementBalances, name: str) -> str | None:
    """The first line where the statement's own balances do not add up, or None. ``rows``
    in date order (a statement listed newest first is read from its end)."""
    prev: int | None = given.opening[1] if given.opening else None
    moved = 0  # since the last known balance
    total, any_balance = 0, False
    for r in rows:
        total += r.cents
        any_balance = any_balance or r.balance is not None
        moved += r.cents
        if r.balance is None:
            continue
        if prev is not None and prev + moved != r.balance:
            return (
                f"{name}:{r.line}: Solde: the statement's balance {format_dzd(_da(r.balance))} is "
                f"not the previous balance {format_dzd(_da(prev))} plus the operations "
                f"({format_dzd(_da(moved))}): a debit/credit column read the wrong way, or a "
                "line missing"
            )
        prev, moved = r.balance, 0
    if given.closing and prev is not None and prev + moved != given.closing[1]:
        line, value = given.closing
        return (
            f"{name}:{line}: closing balance {format_dzd(_da(value))} is not the last balance "
            f"{format_dzd(_da(prev))} plus the operations after it ({format_dzd(_da(moved))})"
        )
    if given.opening and given.closing and not any_balance:
        if given.opening[1] + total != given.closing[1]:
            return (
                f"{name}:{given.closing[0]}: closing balance {format_dzd(_da(given.closing[1]))} "
                f"is not the opening balance {format_dzd(_da(given.opening[1]))} plus the "
                f"operations ({format_dzd(_da(total))})"
            )
    return None


def end_of_day_balances(
    rows: Iterable[BalanceRow], given: StatementBalances
) -> list[tuple[str, int, int]]:
    """(day, balance after the day, first line of the day), in date order."""
    out: dict[str, tuple[int, int]] = {}
    first_line: dict[str, int] = {}
    running: int | None = given.opening[1] if given.opening else None
    for r in rows:
        first_line.setdefault(r.day, r.line)
        if r.balance is not None:
            running = r.balance
        elif running is not None:
            running += r.cents
        if running is not None:
            out[r.day] = (running, first_line[r.day])
    return [(d, b, line) for d, (b, line) in sorted(out.items())]


def ledger_disagreement(
    name: str,
    account: str,
    eod: list[tuple[str, int, int]],
    ledger_cum: dict[str, int],
    opening: int | None,
) -> str | None:
    """The first day where the ledger's balance of ``account`` and the statement's part.

    ``ledger_cum[day]`` is the sum of the account's ledger lines up to that day (after the
    import). With ``opening`` (the account is the ledger's only one: the company's opening
    balance is its own) the two must be equal; otherwise their difference (the account's
    history before the ledger) must stay the same every day."""
    offset = None
    for day, balance, line in eod:
        base = opening if opening is not None else offset
        ledger = ledger_cum[day] + (base or 0)
        if base is None:
            offset = balance - ledger_cum[day]
            continue
        if ledger != balance:
            what = "opening balance plus its lines" if opening is not None else "lines"
            return (
                f"{name}:{line}: Solde: on {day} the statement's balance is "
                f"{format_dzd(_da(balance))}, the ledger's account '{account}' ({what}) gives "
                f"{format_dzd(_da(ledger))}: the ledger and the statement disagree from this "
                "line (a line missing or counted twice)"
            )
    return None


def _da(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
