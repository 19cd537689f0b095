"""The one text folding and the one month vocabulary every reader shares."""

import re

from khazna import months
from khazna.agents.assistant.periods import find_period
from khazna.text import ascii_fold, fold, fold_pattern
from khazna.tools.bank_rules import normalize as bank_normalize
from khazna.tools.names import fold as names_fold


def test_fold_french_and_arabic_alike():
    assert fold("Réglé À l'échéance") == "regle a l'echeance"
    assert fold("Le client’s") == "le client's"
    assert fold("الفاتورةُ") == fold("الفاتوره")  # tashkeel dropped, ة and ه one letter
    assert fold("أفريل") == fold("إفريل") == fold("افريل")
    assert fold("٢٠ جوان") == "20 جوان"
    assert ascii_fold("Débit (DZD)") == "debit (dzd)"
    assert ascii_fold("مبلغ Crédit") == " credit"


def test_every_reader_folds_the_same_way():
    assert names_fold is fold  # the client-name resolver uses the shared folding
    assert bank_normalize("Prélèvement Sonelgaz") == fold("Prélèvement Sonelgaz").upper()


def test_fold_pattern_keeps_escapes_and_folds_words():
    rx = re.compile(fold_pattern(r"\Dفاتورة\W"))
    assert rx.search(fold("x فاتورة !"))
    assert fold_pattern(r"\D\W\S") == r"\D\W\S"


def test_one_month_table_for_every_spelling():
    assert months.month_number("Février") == months.month_number("fevrier") == 2
    assert months.month_number("أفريل") == months.month_number("افريل") == 4
    assert months.month_number("تشرين الأول") == 10
    assert months.month_number("juil") == 7
    assert months.month_number("sept", months.MONTHS) is None  # full names only
    assert months.month_number("dezember") == 12
    assert months.FRENCH[7] == "août"
    assert {"JANV", "FEVR", "AOUT", "DECEMBRE"} <= months.BANK_TOKENS
    assert re.fullmatch(months.alternation(months.ALL), "juillet")


def test_readers_use_it():
    """The assistant's periods read the shared table: the Mashriq and Algerian names alike."""
    from datetime import date

    p = find_period("les encaissements de أفريل 2026", date(2026, 12, 4))
    q = find_period("les encaissements d'avril 2026", date(2026, 12, 4))
    assert p is not None and q is not None and (p.start, p.end) == (q.start, q.end)
