"""What a bank statement must agree with before its lines join the ledger.

Four checks, so that a statement can never double the cash:

- **which account**: the statement's own account number (a RIB or account number in the
  title rows, or an account column) matched against the ledger's accounts
  (:func:`resolve_account`); never a silent default when the ledger holds several;
- **already there**: the same operations (date, amount, and label or reference) looked for
  in *every* account over the statement's period (:func:`classify`); lines already in the
  target account are skipped, and a statement mostly found under another account is refused;
- **balances**: the statement's running ``Solde`` column and its opening/closing balances
  must add up, and agree with the ledger after the import (:func:`reconcile`); the first
  line where they diverge is named;
- **totals**: a footer's ``Total des mouvements`` / ``Total débit`` / ``Total crédit`` must
  be the sum of the statement's lines (:func:`stated_totals`, :func:`check_totals`).
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

# a line's verdict when nothing matches it, and when it is already in this account (the
# reasons are the owner's words; these two are also compared)
NEW = "nouvelle"
ALREADY = "déjà importée"


def _day(d: date | str | None) -> str:
    """A day as the owner reads it (dd/mm/yyyy); ``—`` for none."""
    if d is None:
        return "—"
    return (d if isinstance(d, date) else date.fromisoformat(str(d)[:10])).strftime("%d/%m/%Y")


# A label naming the account, then its number (digits with spaces, dots or dashes).
_LABELLED = re.compile(
    r"\b(?:r\s*i\s*b|iban|compte(?:\s+(?:n|no|numero))?|n\s+(?:de\s+)?compte|numero\s+de\s+compte"
    r"|account(?:\s+(?:no|number))?)\b[^0-9]{0,12}((?:dz\s*)?[0-9][0-9 .\-]{8,40}[0-9])"
)
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9](?:[ .\-]?[0-9]){19,25}(?![0-9])")
MIN_ACCOUNT_DIGITS = 10  # an account number; shorter runs are dates, amounts, agencies
_OPENING = re.compile(
    r"^(ancien solde|solde initial|solde d ouverture|solde debut|solde de debut|solde precedent"
    r"|solde au debut|solde anterieur|report a nouveau|opening balance)\b"
)
_CLOSING = re.compile(
    r"^(nouveau solde|solde final|solde de cloture|solde fin|solde en fin|solde a la fin"
    r"|closing balance)\b"
)
# A balance the row does not say is the opening or the closing one (``Solde au 30/09/2026``,
# ``Report``, ``A reporter``): its place tells (before the operations, after them, or a
# page's carry-forward between them).
_BALANCE = re.compile(
    r"^(solde|report|reports|a reporter|balance)\b(?!.*\b(disponible|moyen|valeur|autorise"
    r"|minimum|maximum|bloque)\b)"
)
_DATE_IN = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")


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
    return ", ".join(
        f"'{a.account}' ({a.lines} ligne{'s' if a.lines != 1 else ''}, dernière le {_day(a.last)})"
        for a in accounts
    )


def resolve_account(
    given: str | None,
    number: str | None,
    mapping_account: str | None,
    accounts: list[LedgerAccount],
    *,
    force: bool = False,
    company_rib: str = "",
) -> tuple[str, str]:
    """(account id, how it was chosen). Raises :class:`AccountRefused`.

    A statement's number is matched with the ledger's account ids; when none holds an
    account number, the company's own RIB (company.json) stands for the ledger's only
    account."""
    matching = [a for a in accounts if number and same_account(number, a.account)]
    unnumbered = [a for a in accounts if len(digits(a.account)) < MIN_ACCOUNT_DIGITS]
    if (
        number
        and not matching
        and len(accounts) == 1
        and unnumbered
        and same_account(number, company_rib)
    ):
        matching = unnumbered
        if not given:
            return accounts[0].account, (
                f"le numéro de compte du relevé {number}, le RIB de la société : le seul "
                f"compte du grand livre, '{accounts[0].account}'"
            )
    if given:
        if number and matching and all(a.account != given for a in matching) and not force:
            raise AccountRefused(
                f"le relevé est celui du compte {number}, que le grand livre tient sous "
                f"{_listing(matching)}, pas '{given}' : retirez --account (ou passez "
                f"--account {matching[0].account}) ; --force importe quand même dans '{given}'"
            )
        return given, "donné par --account"
    if number:
        if len(matching) == 1:
            return matching[0].account, f"le numéro de compte du relevé, {number}"
        if len(matching) > 1:
            raise AccountRefused(
                f"le numéro de compte du relevé, {number}, correspond à plusieurs comptes du "
                f"grand livre : {_listing(matching)} ; nommez-en un avec --account"
            )
        if not accounts:
            return number, f"le numéro de compte du relevé, {number} (un nouveau compte)"
        raise AccountRefused(
            f"le numéro de compte du relevé, {number}, ne correspond à aucun compte du grand "
            f"livre ({_listing(accounts)}) : passez --account avec l'un d'eux si c'est le même "
            f"compte, ou --account {number} pour l'enregistrer comme un nouveau compte"
        )
    if mapping_account:
        return mapping_account, "le compte de la correspondance de colonnes (--mapping)"
    if not accounts:
        return "main", "le premier compte du grand livre ('main') : le relevé n'en nomme aucun"
    if len(accounts) == 1:
        return accounts[0].account, "le seul compte du grand livre (le relevé n'en nomme aucun)"
    raise AccountRefused(
        f"le relevé ne nomme aucun compte et le grand livre en tient plusieurs : "
        f"{_listing(accounts)} ; dites lequel avec --account"
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
    day: str = ""  # ISO
    value_day: str | None = None


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
    value_day: str | None = None  # ISO, when the bank gives one


NEW = "nouvelle"  # the reason of a line added because nothing in the ledger is it


class LineVerdict(BaseModel):
    line: int
    date: date
    amount: Decimal
    label: str
    action: str  # "add" or "skip"
    # in French, for the owner: "nouvelle", "déjà importée", "la même opération est dans ce
    # compte …", "aussi dans le compte 'X'", "même date et même montant dans le compte 'X' …"
    reason: str
    matches: str | None = None  # the ledger line id it matched


@dataclass
class Classified:
    verdicts: list[LineVerdict] = field(default_factory=list)
    skip_lines: list[int] = field(default_factory=list)  # fuzzy matches in the same account
    elsewhere: dict[str, int] = field(default_factory=dict)  # other account → lines found
    # other account → lines of the same date and amount there, under another label
    elsewhere_unlabelled: dict[str, int] = field(default_factory=dict)

    @property
    def found_elsewhere(self) -> int:
        return sum(self.elsewhere.values()) + sum(self.elsewhere_unlabelled.values())

    def accounts_elsewhere(self) -> dict[str, int]:
        out = dict(self.elsewhere)
        for a, n in self.elsewhere_unlabelled.items():
            out[a] = out.get(a, 0) + n
        return out


def _days(day: str, value_day: str | None) -> list[str]:
    return [day] if not value_day or value_day == day else [day, value_day]


def classify(staged: list[Staged], existing: dict[tuple[str, int], list[Existing]],
             account: str) -> Classified:  # fmt: skip
    """Each staged line against the ledger's lines of the same amount on the same day (its
    date or value date against theirs), every account included. One ledger line answers
    for at most one statement line.

    In order: the same line in this account (fingerprint), the same operation in this
    account with its label written differently (skipped), the same operation in another
    account (counted: most of a statement there is refused), then the same date and amount
    with an unrelated label, in this account (skipped: another export of the same
    operation; the balance check after the import says if that was wrong) or in another
    (counted like the others: a whole statement matching to the centime, day after day,
    is that account's statement whatever its labels)."""
    out, used = Classified(), set()
    seen: dict[str, int] = defaultdict(int)
    for s in staged:
        seen[s.fingerprint] += 1
        s.occurrence = seen[s.fingerprint]
        cands: dict[str, Existing] = {}  # by line id: a line indexed by both its days
        for day in _days(s.day, s.value_day):
            for e in existing.get((day, s.cents), []):
                if e.line_id not in used:
                    cands.setdefault(e.line_id, e)
        exact = next(
            (e for e in cands.values() if e.fingerprint == s.fingerprint and e.account == account),
            None,
        )
        fuzzy = [
            e for e in cands.values() if labels_agree(s.label, e.label, s.reference, e.reference)
        ]
        here = next((e for e in fuzzy if e.account == account), None)
        there = next((e for e in fuzzy if e.account != account), None)
        # date and amount only (a date of one export is a date or value date of the other)
        weak_here = next((e for e in cands.values() if e.account == account), None)
        weak_there = next((e for e in cands.values() if e.account != account), None)
        amount = Decimal(s.cents).scaleb(-2)
        verdict = LineVerdict(line=s.line, date=date.fromisoformat(s.day), amount=amount,
                              label=s.label, action="add", reason=NEW)  # fmt: skip
        if exact is not None:
            used.add(exact.line_id)
            verdict.action, verdict.reason, verdict.matches = (
                "skip",
                "déjà importée",
                exact.line_id,
            )
        elif here is not None:
            used.add(here.line_id)
            out.skip_lines.append(s.line)
            verdict.action, verdict.matches = "skip", here.line_id
            verdict.reason = "la même opération est dans ce compte (libellé écrit autrement)"
        elif there is not None:
            used.add(there.line_id)
            out.elsewhere[there.account] = out.elsewhere.get(there.account, 0) + 1
            verdict.reason, verdict.matches = (
                f"aussi dans le compte '{there.account}'",
                there.line_id,
            )
        elif weak_here is not None:
            used.add(weak_here.line_id)
            out.skip_lines.append(s.line)
            verdict.action, verdict.matches = "skip", weak_here.line_id
            verdict.reason = (
                f"même date et même montant dans ce compte, sous {weak_here.label[:40]!r}"
            )
        elif weak_there is not None:
            used.add(weak_there.line_id)
            acct = weak_there.account
            out.elsewhere_unlabelled[acct] = out.elsewhere_unlabelled.get(acct, 0) + 1
            verdict.matches = weak_there.line_id
            verdict.reason = (
                f"même date et même montant dans le compte '{acct}', sous {weak_there.label[:40]!r}"
            )
        out.verdicts.append(verdict)
    return out


def doubling_message(found: Classified, rows: int, account: str) -> str:
    elsewhere = found.accounts_elsewhere()
    where = ", ".join(
        f"'{a}' ({n} ligne{'s' if n != 1 else ''})" for a, n in sorted(elsewhere.items())
    )
    first = next(v for v in found.verdicts if v.action == "add" and v.matches)
    unlabelled = sum(found.elsewhere_unlabelled.values())
    how = (
        f" (dont {unlabelled} de même date et même montant sous un autre libellé)"
        if unlabelled
        else ""
    )
    hint = (
        f"importez-le dans ce compte avec --account {next(iter(elsewhere))}"
        if len(elsewhere) == 1
        else "nommez le bon compte avec --account"
    )
    return (
        f"{found.found_elsewhere} des {rows} lignes de ce relevé sont déjà dans le grand "
        f"livre sous un autre compte : {where}{how} (la première : ligne {first.line}, "
        f"{_day(first.date)}, {format_dzd(first.amount)}, {first.label!r}). Les importer dans "
        f"'{account}' compterait deux fois cet argent : {hint} ; --force les ajoute s'il "
        "s'agit vraiment d'autres opérations"
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
    opening: tuple[int, int] | None = None  # (line, centimes)
    closing: tuple[int, int] | None = None


def summary_balance(cells: list[str], parse_cents) -> tuple[str | None, int, date | None] | None:
    """What a title or footer row says of a balance: ``(kind, centimes, its date)``, kind
    "opening", "closing", or None when the row only says ``Solde`` (``Ancien solde;;;1 234,56``,
    ``Solde final : 1 234,56 DA``, ``Solde au 30/09/2026;;1 234,56``, ``Report``). A
    ``débiteur`` balance is negative."""
    for i, cell in enumerate(cells):
        key = normalise_header(cell)
        kind = "opening" if _OPENING.match(key) else "closing" if _CLOSING.match(key) else None
        if kind is None and not _BALANCE.match(key):
            continue
        on = None
        if m := _DATE_IN.search(cell):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            try:
                on = date(year, int(m[2]), int(m[1]))
            except ValueError:
                on = None
        for text in [*reversed(cells[i + 1 :]), cell.split(":")[-1]]:
            t = re.sub(r"\s*(da|dzd)\s*$", "", text.strip(), flags=re.IGNORECASE)
            if t and re.fullmatch(r"[-+0-9 \u00a0\u202f.,]+", t) and re.search(r"\d", t):
                if _DATE_IN.fullmatch(t.strip()):
                    continue  # the row's date in a cell of its own
                try:
                    value = parse_cents(t)
                except ValueError:  # MoneyError is a ValueError: a date, a count
                    continue
                if re.search(r"\bdebiteur\b", key) and value > 0:
                    value = -value
                return kind, value, on
        return None
    return None


def statement_balances(
    rows: Iterable[tuple[int, list[str]]],
    parse_cents,
    first_line: int,
    last_line: int,
    first_day: date,
    last_day: date,
    newest_first: bool,
) -> StatementBalances:
    """The opening and closing balances a statement states in its title rows (line 0) and
    its rows without an operation, in file order. A row naming its kind (``Ancien solde``,
    ``Nouveau solde``) is that; a bare ``Solde au <date>`` is the opening when its date is
    before the first operation, the closing when after the last, else its place says:
    before the operations (after them for a statement listed newest first) the opening, on
    the other side the closing; a carry-forward between operations is neither. The balance
    nearest the operations wins."""
    out = StatementBalances()
    for line, cells in rows:
        said = summary_balance(cells, parse_cents)
        if said is None:
            continue
        kind, value, on = said
        before, after = line < first_line, line > last_line
        if kind is None and on is not None and first_day != last_day:
            if on < first_day:
                kind = "opening"
            elif on > last_day or (on == last_day and not before):
                kind = "closing"
        if kind is None:
            if not (before or after):
                continue  # a page's carry-forward
            kind = "opening" if before != newest_first else "closing"
        near_is_later = before  # rows before: the last is nearest; after: the first
        current = getattr(out, kind)
        if current is None or near_is_later:
            setattr(out, kind, (line, value))
    return out


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
                f"{name}:{r.line}: Solde : le solde du relevé, {format_dzd(_da(r.balance))}, "
                f"n'est pas le solde précédent {format_dzd(_da(prev))} plus les opérations "
                f"({format_dzd(_da(moved))}) : une colonne Débit/Crédit lue à l'envers, ou une "
                "ligne manquante"
            )
        prev, moved = r.balance, 0
    if given.closing and prev is not None and prev + moved != given.closing[1]:
        line, value = given.closing
        return (
            f"{name}:{line}: solde de clôture : {format_dzd(_da(value))} n'est pas le dernier "
            f"solde {format_dzd(_da(prev))} plus les opérations qui le suivent "
            f"({format_dzd(_da(moved))})"
        )
    if given.opening and given.closing and not any_balance:
        if given.opening[1] + total != given.closing[1]:
            return (
                f"{name}:{given.closing[0]}: solde de clôture : "
                f"{format_dzd(_da(given.closing[1]))} n'est pas le solde d'ouverture "
                f"{format_dzd(_da(given.opening[1]))} plus les opérations "
                f"({format_dzd(_da(total))})"
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
            what = "solde d'ouverture plus ses lignes" if opening is not None else "ses lignes"
            return (
                f"{name}:{line}: Solde : au {_day(day)} le relevé donne "
                f"{format_dzd(_da(balance))}, le compte '{account}' du grand livre ({what}) "
                f"donne {format_dzd(_da(ledger))} : le grand livre et le relevé divergent à "
                "partir de cette ligne (une ligne manquante ou comptée deux fois)"
            )
    return None


def _da(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# A footer stating the statement's totals: "Total des mouvements", "Totaux", "Total débit",
# "Total des crédits", "Cumul des opérations", "Total mouvements débiteurs" (a page's own
# subtotal, a carry-forward or a balance is not one).
_TOTAL = re.compile(r"^(total|totaux|cumul)\b")
_NOT_TOTAL = re.compile(
    r"\b(page|sous|report|reporter|solde|balance|agios|frais|tva|commissions?)\b"
)
_DEBIT_WORD = re.compile(r"\b(debits?|debiteurs?|debit(?:eur)?s?|sorties?|retraits?)\b")
_CREDIT_WORD = re.compile(r"\b(credits?|crediteurs?|entrees?|versements?)\b")


def _cents_in(text: str, parse_cents) -> int | None:
    t = re.sub(r"\s*(da|dzd)\s*$", "", text.strip(), flags=re.IGNORECASE)
    if not t or not re.fullmatch(r"[-+(]?[0-9][0-9 \u00a0\u202f.,]*\)?", t):
        return None
    try:
        return abs(parse_cents(t.strip("()")))
    except ValueError:  # MoneyError is a ValueError
        return None


def stated_totals(
    rows: Iterable[tuple[int, list[str]]],
    positions: dict[str, int],
    parse_cents,
    last_line: int,
) -> list[tuple[int, str, int]]:
    """What the statement's footer says its operations total: ``(line, "debit" | "credit",
    centimes)``, from the last total row after the operations. A row naming one side
    (``Total débit;;1 234,56``) gives that side (its figure under that column, else its only
    figure); a row naming both or neither (``Total des mouvements``, ``Totaux``) gives the
    figures under the Débit and Crédit columns. A statement with one signed amount column
    states no side."""
    i_deb, i_cred = positions.get("debit"), positions.get("credit")
    found: dict[str, tuple[int, str, int]] = {}
    for line, cells in rows:
        if line <= last_line:
            continue
        words = [c for c in cells if c.strip() and _cents_in(c, parse_cents) is None]
        key = normalise_header(" ".join(words))
        if not _TOTAL.match(key) or _NOT_TOTAL.search(key):
            continue
        debit, credit = bool(_DEBIT_WORD.search(key)), bool(_CREDIT_WORD.search(key))
        figures = [v for c in cells if (v := _cents_in(c, parse_cents)) is not None]
        if debit != credit:
            side, col = ("debit", i_deb) if debit else ("credit", i_cred)
            under = (
                _cents_in(cells[col], parse_cents) if col is not None and col < len(cells) else None
            )
            value = under if under is not None else (figures[0] if len(figures) == 1 else None)
            if value is not None:
                found[side] = (line, side, value)
            continue
        if i_deb is None or i_cred is None:
            continue
        got = {
            side: _cents_in(cells[col], parse_cents) if col < len(cells) else None
            for side, col in (("debit", i_deb), ("credit", i_cred))
        }
        for side, value in got.items():
            if value is not None:  # an empty cell says nothing of its side
                found[side] = (line, side, value)
    return [found[s] for s in ("debit", "credit") if s in found]


def check_totals(
    stated: list[tuple[int, str, int]], debit: int, credit: int, name: str
) -> str | None:
    """The first footer total that is not the sum of the statement's lines, or None."""
    for line, side, value in stated:
        lines = debit if side == "debit" else credit
        if value != lines:
            word = "débits" if side == "debit" else "crédits"
            return (
                f"{name}:{line}: Total des {word} : le relevé annonce {format_dzd(_da(value))}, "
                f"ses lignes font {format_dzd(_da(lines))} (écart "
                f"{format_dzd(_da(lines - value))}) : une ligne manquante ou en trop, ou une "
                "colonne Débit/Crédit mal lue"
            )
    return None
