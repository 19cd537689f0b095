"""The letter rules catch each defect a lawyer or a client would (evals/letter_rules.py):
each rule is shown a faulty letter and a sound one."""

from datetime import date
from decimal import Decimal

from khazna.evals.letter_rules import Books, Exchange, read_letter

BOOKS = Books(
    invoices={"F2026-0363": 3, "F2026-0400": 1},
    open_amounts={"F2026-0363": Decimal("119000"), "F2026-0400": Decimal("59500")},
    history=[
        Exchange(on=date(2026, 9, 30), kind="reminder", invoices=["F2026-0101"]),
        Exchange(on=date(2026, 10, 10), kind="reminder", invoices=["F2026-0363"]),
    ],
)
DEMAND = (
    "Par la présente, nous vous mettons en demeure de régler la somme de 119 000,00 DA dans un "
    "délai de 8 jours ouvrables, soit au plus tard le 10/11/2026."
)
OTHERS = "Par ailleurs, la facture F2026-0400 (59 500,00 DA) est également échue."


def _read(detailed: str, books: Books = BOOKS, level: int = 3) -> dict:
    return read_letter("Mise en demeure", "Madame, Monsieur, …", detailed, level, books)


def test_false_history_is_caught():
    sound = f"Madame, Monsieur,\n\nNous vous avions déjà adressé un rappel le 10/10/2026.\n\n{DEMAND}\n\n{OTHERS}"
    false = sound.replace("10/10/2026.", "30/09/2026.")
    assert _read(sound)["history"] is True
    assert _read(false)["history"] is False
    no_reminder = Books(BOOKS.invoices, BOOKS.open_amounts, history=BOOKS.history[:1])
    claim = (
        f"Madame, Monsieur,\n\nMalgré notre précédent rappel, la facture reste impayée.\n\n{DEMAND}"
    )
    assert _read(claim, no_reminder)["history"] is False


def test_casual_formal_notice_is_caught():
    assert _read(f"Madame, Monsieur,\n\n{DEMAND}\n\n{OTHERS}")["register"] is True
    assert (
        _read(f"Bonjour,\n\n{DEMAND}\n\n{OTHERS}\n\nMerci d'avance, et bonne journée.")["register"]
        is False
    )
    assert _read("Bonjour,\n\nUn petit rappel.", level=1)["register"] is None


def test_notice_over_invoices_not_in_default_is_caught():
    assert _read(f"Madame, Monsieur,\n\n{DEMAND}\n\n{OTHERS}")["notice_scope"] is True
    whole = DEMAND.replace("119 000,00 DA", "178 500,00 DA")
    assert _read(f"Madame, Monsieur,\n\n{whole}\n\n{OTHERS}")["notice_scope"] is False
    assert _read(f"Madame, Monsieur,\n\n{DEMAND}")["notice_scope"] is False  # others not named


def test_deadline_units_and_plan_coherence():
    plan = (
        "Nous vous proposons un échéancier : 59 500,00 DA (05/11/2026), 59 500,00 DA (05/12/2026)."
    )
    cond = "La procédure ne sera engagée que si, au plus tard le 10/11/2026, nous n'avons reçu ni votre règlement ni votre accord sur l'échéancier."
    assert _read(f"{DEMAND}\n\n{plan}\n\n{cond}\n\n{OTHERS}")["deadline"] is True
    assert _read(f"{DEMAND}\n\n{plan}\n\n{OTHERS}")["deadline"] is False  # no condition
    late = plan.replace("05/11/2026", "20/11/2026")
    assert _read(f"{DEMAND}\n\n{late}\n\n{cond}")["deadline"] is False  # first after deadline
    assert _read(DEMAND.replace(" ouvrables", ""))["deadline"] is False


def test_public_body_is_not_threatened_with_a_court():
    public = Books(BOOKS.invoices, BOOKS.open_amounts, BOOKS.history, public_body=True)
    sound = (
        "À l'attention de l'ordonnateur\n\nNous vous demandons formellement de procéder au "
        "mandatement et au paiement de la somme de 119 000,00 DA dans un délai de 8 jours "
        f"ouvrables, soit au plus tard le 10/11/2026.\n\n{OTHERS}"
    )
    threat = sound + "\n\nÀ défaut, injonction de payer (articles 306 à 308 du CPCA)."
    assert _read(sound, public)["public_body"] is True
    assert _read(threat, public)["public_body"] is False
    assert _read(sound)["public_body"] is None
