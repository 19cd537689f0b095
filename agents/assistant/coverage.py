"""What of a question the reader did not use: every word is either matched by the lexicon (a
measure, a filter, a period, an aggregation), names a client/supplier/category the ledger
knows, is a date or a number, or is a function word. What is left was not understood, and
the answer says so instead of answering a broader question."""

from __future__ import annotations

import re
from collections.abc import Iterator

from khazna.agents.assistant import lexicon, periods
from khazna.agents.assistant.tools import CATEGORIES
from khazna.text import fold
from khazna.tools.names import arabic_variants

# function words and question scaffolding, folded (khazna.text.fold); a word here carries
# no slot of the query
STOP = set(
    """
    a au aux avec c ce cet cette ces ceux celles celle celui d de des du dans depuis donc elle en est et etait
    il ils elles ait aient deja parmi encor j je l la le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou
    par pas pour qu que quel quelle quelles quels qui sa se ses si son sur ta te tes toi ton
    tu un une vos votre vous y ete etre avoir avons avez ont ai as sont fait faire combien
    quoi comment quand rien donne donner dis dire montre montrer peux pouvez peut svp stp merci
    aujourd hui aujourdhui actuellement maintenant actuel actuelle total totale totaux
    montant montants somme global globale tout tous toute toutes chez ici the a an of in on
    at to for from by with and or is are was were be been do does did what how which who
    much many our us we my me i you your it its this that these those there their them
    but across something anything sits sit booked claimed recorded
    please show tell give today now current currently total amount sum all any per so far
    as has have had been will would can could should entre jusqu jusqu'a et/ou
    في من على إلى الى عن مع هل ما ماذا كم هو هي هذا هذه ذلك التي الذي كل مجموع المجموع
    إجمالي الإجمالي اجمالي بعد
    اليوم الآن حاليا لنا عندنا لدينا بين قداش واش شحال اللي لي راه راهم راهي
    دراهم الدراهم فلوس الفلوس سجلنا سجلت سجلناها koi kel kelle ske than
    مجموعها مجموعهم مجموعه قيمتها قيمتهم
    bonjour bonsoir salut salam hello hi exact exacte exactement precis precise precisement
    porte portee portees portes portant portent demande demandee sors sort sortir reunion disent
    get got حسب فيها فيه
    الذين اللذين اللتين اللواتي اللاتي الذي التي لديهم لديه لديها عندهم عنده عندها هناك كان كانت يكون تكون
    """.split()
)
STOP |= {fold(w) for w in STOP}  # compared with folded words (على → علي, إجمالي → اجمالي)
_WORD = re.compile(r"[^\W\d_]{3,}|(?<![\w-])\d+(?:[.,]\d+)?(?![\w-])")


def _patterns() -> Iterator[re.Pattern[str]]:
    for name, v in [*vars(lexicon).items(), *vars(periods).items()]:
        if name == "ARABIC":
            continue
        if isinstance(v, re.Pattern):
            yield v
        elif isinstance(v, tuple) and v and all(isinstance(x, str) for x in v):
            yield from (re.compile(x, re.I) for x in v)
        elif isinstance(v, dict):
            for pats in v.values():
                if isinstance(pats, tuple):
                    yield from (re.compile(x, re.I) for x in pats if isinstance(x, str))


PATTERNS = tuple(_patterns())


def unread_words(text: str, known_words: set[str]) -> list[str]:
    """The words of ``text`` (lower-cased) no lexicon entry, known name or stop word covers."""
    covered = [False] * len(text)
    for p in PATTERNS:
        for m in p.finditer(text):
            for k in range(m.start(), m.end()):
                covered[k] = True
    # a category name of several words ("sous-traitance", "fournitures de bureau") covers each
    cats = {
        fold(p)
        for code, names in CATEGORIES.items()
        for w in (code, *names)
        for p in (w, *re.split(r"[-_ ]", w))
    }
    out = []
    for m in _WORD.finditer(text):
        if any(covered[m.start() : m.end()]):
            continue
        word = m.group(0)
        if word[0].isdigit():  # a number no date, period, range, amount or rank took
            out.append(word)
            continue
        # an Arabic word may carry its particles (و ب ل ال …): try it without them too
        forms = {fold(v) for v in arabic_variants(word)} | {fold(word)}
        if forms & (STOP | known_words | cats):
            continue
        if any(p.fullmatch(f) or p.search(f) for f in forms - {fold(word)} for p in PATTERNS):
            continue
        out.append(word)
    return out
