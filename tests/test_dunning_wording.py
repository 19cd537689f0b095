"""What the offline composer claims about the past and the plan (issue 14, items 1-2): no
"deuxième relance" when no reminder went out about the letter's invoices, "notre rappel" after
exactly one, plural agreement in the short text, and a plan that states what it covers."""

from datetime import date
from decimal import Decimal

import pytest

from khazna.agents.dunning.compose import compose
from khazna.agents.dunning.facts import DunningFacts, Piece, PlanInstalment
from khazna.agents.dunning.model_writer import service_claims
from khazna.evals import dunning_letters, eval_dunning, letter_rules
from khazna.text import strip_bidi
from khazna.tools.dunning import DueInvoice


def _inv(number: str, level: int, amount: str, days: int) -> DueInvoice:
    return DueInvoice(number=number, issue_date=date(2026, 8, 1), due_date=date(2026, 9, 1),
                      total_ttc=Decimal(amount), open_amount=Decimal(amount), days_late=days,
                      level=level)  # fmt: skip


def _facts(level: int, invoices: list[DueInvoice], lang: str = "fr", **kw) -> DunningFacts:
    base = dict(
        draft_key="C01-L2", as_of=date(2026, 10, 29), level=level, language=lang,
        client_id="C01", client_name="SARL Test", client_kind="pme", client_email="a@b.dz",
        company_name="Atlas Services", company_email="g@atlas.dz", rib="00300060000201930048",
        invoices=invoices, total=sum((i.open_amount for i in invoices), Decimal("0")),
        max_days_late=max(i.days_late for i in invoices),
    )  # fmt: skip
    return DunningFacts(**(base | kw))


@pytest.mark.parametrize("lang, second", [("fr", "Deuxième relance"), ("ar", "تذكير ثان")])
def test_a_level_two_letter_is_a_second_reminder_only_after_a_first(lang, second):
    invoices = [_inv("F2026-0363", 2, "119000.00", 14)]
    first = compose(_facts(2, invoices, lang, previous_reminders=0))
    assert second not in first.subject + first.short
    again = compose(_facts(2, invoices, lang, previous_reminders=1))
    assert second in again.subject and second in again.short


@pytest.mark.parametrize(
    "lang, one, many",
    [("fr", "notre rappel resté", "nos rappels"), ("ar", "رغم تذكيرنا", "تذكيراتنا")],
)
def test_a_notice_after_a_single_reminder_says_so_in_the_singular(lang, one, many):
    invoices = [_inv("F2026-0363", 3, "119000.00", 44)]
    kw = dict(client_kind="grand_compte", deadline=date(2026, 11, 10), deadline_days=8,
              notice_invoices=["F2026-0363"], notice_total=Decimal("119000.00"))  # fmt: skip
    after_one = compose(_facts(3, invoices, lang, previous_reminders=1, **kw)).detailed
    assert one in after_one and many not in after_one
    after_two = compose(_facts(3, invoices, lang, previous_reminders=2, **kw)).detailed
    assert many in after_two


def test_a_short_text_about_several_invoices_agrees_in_the_plural():
    invoices = [_inv("F2026-0352", 2, "1000.00", 18), _inv("F2026-0361", 1, "2000.00", 5)]
    short = compose(_facts(2, invoices, previous_reminders=1)).short
    assert "les factures F2026-0352, F2026-0361 restent impayées" in short
    single = compose(_facts(1, invoices[:1])).short
    assert "F2026-0352 reste impayée" in single


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_plan_beside_a_partial_notice_states_that_it_covers_every_invoice(lang):
    invoices = [_inv("F2026-0351", 3, "170765.00", 44), _inv("F2026-0352", 2, "53966.50", 14)]
    plan = [PlanInstalment(date=date(2026, 11, 5), amount=Decimal("74910.50")),
            PlanInstalment(date=date(2026, 12, 6), amount=Decimal("74910.50")),
            PlanInstalment(date=date(2027, 1, 5), amount=Decimal("74910.50"))]  # fmt: skip
    f = _facts(3, invoices, lang, previous_reminders=2, deadline=date(2026, 11, 10),
               deadline_days=8, notice_invoices=["F2026-0351"],
               notice_total=Decimal("170765.00"), plan=plan, plan_reason="x")  # fmt: skip
    text = strip_bidi(compose(f).detailed).replace("\u202f", " ")
    par = next(p for p in text.split("\n\n") if "74 910,50" in p)
    assert "224 731,50" in par  # the plan's total: both invoices, not the demand's
    assert ("l'ensemble des factures" if lang == "fr" else "مجموع الفواتير") in par


@pytest.mark.parametrize(
    "name, lang, hello, short, bye",
    [
        ("APC de Bab Ezzouar", "fr", "Monsieur le Président, Madame la Présidente,",
         "Monsieur le Président, Madame la Présidente,", "agréer, Monsieur le Président"),
        ("Université Saad Dahlab de Blida", "fr", "Monsieur le Recteur, Madame la Rectrice,",
         "Monsieur le Recteur, Madame la Rectrice,", "agréer, Monsieur le Recteur"),
        ("EPH de Rouiba", "fr", "Monsieur le Directeur, Madame la Directrice,",
         "Monsieur le Directeur, Madame la Directrice,", "agréer, Monsieur le Directeur"),
        ("بلدية برج الكيفان", "ar", "السيد رئيس المجلس الشعبي البلدي المحترم،",
         "السيد الرئيس، السيدة الرئيسة،", "وتقبلوا، السيد الرئيس"),
    ],
)  # fmt: skip
def test_a_public_body_is_addressed_to_its_head(name, lang, hello, short, bye):
    invoices = [_inv("F2026-0363", 3, "119000.00", 44)]
    f = _facts(3, invoices, lang, client_name=name, client_kind="administration",
               public_body=True, previous_reminders=2, deadline=date(2026, 11, 10),
               deadline_days=8, notice_invoices=["F2026-0363"],
               notice_total=Decimal("119000.00"))  # fmt: skip
    text = compose(f)
    detailed = _plain(text.detailed).split("\n\n")
    assert detailed[1].startswith(hello)  # after « À l'attention de l'ordonnateur »
    assert bye in detailed[-2]
    assert _plain(text.short).startswith(short)
    woman = _plain(compose(f.model_copy(update={"civility": "f"})).detailed).split("\n\n")[1]
    assert woman == {"Président": "Madame la Présidente,", "Recteur": "Madame la Rectrice,",
                     "Directeur": "Madame la Directrice,"}.get(hello.split()[2].rstrip(","),
                                                               "السيدة رئيسة المجلس الشعبي البلدي المحترمة،")  # fmt: skip


def _plain(text: str) -> str:
    """Without the bidi marks and isolates, paragraphs kept."""
    return "\n\n".join(strip_bidi(p) for p in text.split("\n\n"))


def test_a_partial_notice_counts_the_reminders_about_its_own_invoices(tmp_path):
    """One reminder about the invoice in default, one about the other invoice of the letter:
    the notice's opening names the invoice in default, so it says « notre rappel » (the
    demo's C09 notice said « nos rappels » after one reminder about its invoices)."""
    cases = [c for c in dunning_letters.cases() if c["scenario"] == "split_reminders"]
    assert {c["client"]["language"] for c in cases} == {"fr", "ar"}
    for case, _plan, facts, _ctx, _checked in eval_dunning._prepare(
        tmp_path, dunning_letters.AS_OF, cases
    ):
        assert facts is not None and len(facts.notice_invoices) == 1 < len(facts.invoices)
        assert facts.previous_reminders == 1
        text = compose(facts)
        body = strip_bidi(text.detailed)
        assert "nos rappels" not in body and "تذكيراتنا" not in body and "مراسلاتنا" not in body
        books = dunning_letters.books(case)
        read = letter_rules.read_letter(text.subject, text.short, text.detailed, 3, books)
        assert read["history"] is True, case["id"]


@pytest.mark.parametrize("lang, claim", [("fr", "été constaté"), ("ar", "معاينة الخدمة المنجزة")])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_public_body_letter_claims_the_service_fait_only_with_its_attestation(lang, claim, level):
    invoices = [
        _inv("F2026-0363", level, "119000.00", 44),
        _inv("F2026-0400", level, "59500.00", 44),
    ]
    kw = dict(client_kind="administration", public_body=True, client_name="APC de Rouiba",
              previous_reminders=1)  # fmt: skip
    if level == 3:
        kw |= dict(deadline=date(2026, 11, 10), deadline_days=8,
                   notice_invoices=["F2026-0363", "F2026-0400"], notice_total=Decimal("178500.00"))  # fmt: skip
    both = [Piece(number=n, kind="service_attestation") for n in ("F2026-0363", "F2026-0400")]
    signed = strip_bidi(compose(_facts(level, invoices, lang, pieces=both, **kw)).detailed)
    assert claim in signed
    for pieces in ([], both[:1]):  # none, or one of the two
        text = strip_bidi(compose(_facts(level, invoices, lang, pieces=pieces, **kw)).detailed)
        assert claim not in text, pieces
        assert ("mandat" in text) if lang == "fr" else ("صرف" in text)


def test_a_model_s_service_fait_claim_without_the_attestation_is_sent_back():
    invoices = [_inv("F2026-0363", 3, "119000.00", 44)]
    kw = dict(client_kind="administration", public_body=True, deadline=date(2026, 11, 10),
              deadline_days=8, notice_invoices=["F2026-0363"], notice_total=Decimal("119000.00"))  # fmt: skip
    said = "La facture F2026-0363, dont le service fait a été constaté, n'est pas mandatée."
    bare = _facts(3, invoices, "fr", **kw)
    assert service_claims(said, bare) == ["service fait a été constaté"]
    assert service_claims("رغم معاينة الخدمة المنجزة", bare) == ["معاينة الخدمة المنجزة"]
    signed = _facts(
        3, invoices, "fr", pieces=[Piece(number="F2026-0363", kind="service_attestation")], **kw
    )
    assert service_claims(said, signed) == []
