"""The letter rules catch each defect a lawyer or a client would (evals/letter_rules.py):
each rule is shown a faulty letter and a sound one."""

from datetime import date
from decimal import Decimal

from khazna.evals.letter_rules import Books, Checked, Exchange, read_letter

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


def test_a_second_reminder_or_plural_reminders_claimed_without_them_are_caught():
    one = Books(BOOKS.invoices, BOOKS.open_amounts, history=BOOKS.history)  # one reminder
    none = Books(BOOKS.invoices, BOOKS.open_amounts, history=BOOKS.history[:1])  # other invoice
    second = "Madame, Monsieur,\n\nDeuxième relance : la facture F2026-0363 reste impayée."
    assert _read(second, one, level=2)["history"] is True
    assert _read(second, none, level=2)["history"] is False
    assert _read(second.replace("Deuxième relance", "تذكير ثان"), none, level=2)["history"] is False
    plural = f"Madame, Monsieur,\n\nEn dépit de nos rappels restés sans suite, la facture reste impayée.\n\n{DEMAND}"
    assert _read(plural, one)["history"] is False  # a single reminder went out
    assert _read(plural.replace("nos rappels restés", "notre rappel resté"), one)["history"] is True
    two = Books(
        BOOKS.invoices,
        BOOKS.open_amounts,
        history=[*BOOKS.history, Exchange(date(2026, 10, 20), "reminder", ["F2026-0400"])],
    )
    assert _read(plural, two)["history"] is True
    # the claim is about the invoices its sentence names: two reminders in the letter, one
    # about the invoice the notice names
    named = plural.replace("la facture reste", "la facture F2026-0363 reste")
    assert _read(named, two)["history"] is False
    assert (
        _read(named.replace("F2026-0363 reste", "F2026-0363 et F2026-0400 restent"), two)["history"]
        is True
    )
    assert (
        _read(plural.replace("En dépit de nos rappels", "رغم تذكيراتنا"), one)["history"] is False
    )


def test_a_plan_that_does_not_add_up_to_what_it_states_is_caught():
    cond = "La procédure ne sera engagée que si, au plus tard le 10/11/2026, nous n'avons reçu ni votre règlement ni votre accord sur l'échéancier."
    whole = (
        "Nous vous proposons un échéancier de 178 500,00 DA, soit l'ensemble des factures, en 2 "
        "versements : 89 250,00 DA (05/11/2026), 89 250,00 DA (05/12/2026)."
    )
    assert _read(f"{DEMAND}\n\n{whole}\n\n{cond}\n\n{OTHERS}")["deadline"] is True
    unstated = (
        "Nous vous proposons un échéancier : 89 250,00 DA (05/11/2026), 89 250,00 DA (05/12/2026)."
    )
    assert _read(f"{DEMAND}\n\n{unstated}\n\n{cond}\n\n{OTHERS}")["deadline"] is False
    wrong = whole.replace("178 500,00", "150 000,00")
    assert _read(f"{DEMAND}\n\n{wrong}\n\n{cond}\n\n{OTHERS}")["deadline"] is False


def test_an_invoice_printed_wrong_must_be_flagged_and_leave_the_letter_when_left_out():
    books = Books(BOOKS.invoices, BOOKS.open_amounts, BOOKS.history, defective=["F2026-0363"])
    letter = f"Madame, Monsieur,\n\n{DEMAND}\n\n{OTHERS}\n\nF2026-0363"
    note = (
        "F2026-0363 : le montant en lettres diffère du total TTC — à corriger avant de relancer ?"
    )
    retold = "Rappel de paiement – F2026-0400\n\nla facture F2026-0400 reste impayée."

    def checker(checked: Checked | None, text: str = letter, b: Books = books):
        return read_letter("Mise en demeure", "…", text, 3, b, checked)["checker"]

    assert checker(Checked([note], ["F2026-0363"], retold)) is True
    assert checker(None) is False  # not flagged to the owner
    assert checker(Checked([note.replace("0363", "0400")], ["F2026-0400"], retold)) is False
    assert checker(Checked([note], ["F2026-0363"], retold + " F2026-0363")) is False  # still in
    assert checker(Checked([note], ["F2026-0363"], "Rappel")) is False  # the other one dropped
    told = letter + "\n\nLe montant en lettres de la facture est à corriger."
    assert checker(Checked([note], ["F2026-0363"], retold), told) is False  # told the client
    assert checker(Checked([note], ["F2026-0363"], retold), b=BOOKS) is False  # clean invoice
    assert checker(None, b=BOOKS) is None


def test_a_service_fait_claimed_without_its_attestation_is_caught():
    books = Books(
        invoices={"F2026-0363": 3, "F2026-0400": 1},
        open_amounts=BOOKS.open_amounts,
        public_body=True,
        attested=["F2026-0363"],
    )
    one = "Nous avons l'honneur de vous signaler que la facture F2026-0363, dont le service fait a été constaté, n'a pas été mandatée."
    both = one.replace("la facture F2026-0363", "les factures F2026-0363 et F2026-0400")
    assert _read(one, books)["service_fait"] is True
    assert _read(both, books)["service_fait"] is False
    assert _read("رغم معاينة الخدمة المنجزة، لم يتم صرف المبلغ.", books)["service_fait"] is False
    # the attestations themselves, named among the pieces, claim nothing
    pieces = "Vous trouverez ci-joint les attestations de service fait des factures F2026-0363 et F2026-0400."
    assert _read(pieces, books)["service_fait"] is True
    unknown = Books(books.invoices, books.open_amounts, public_body=True)
    assert _read(both, unknown)["service_fait"] is None
