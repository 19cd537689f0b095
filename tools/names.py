"""Finding the client, supplier or payee a text names, as the ledger stores it: the one
resolver of the assistant's questions and of the reminder requests (:func:`find_client`).

Matching is by words: accents, case and legal forms (SARL, SPA, ش.ذ.م.م …) are ignored, a
word may be misspelt a little or cut short (``Sonel`` → ``Sonelgaz``), and an Arabic word is
compared with a Latin one by its consonants (``سونلغاز`` ↔ ``Sonelgaz``), since the ledger
keeps each name in one script. Generic words (``distribution``, ``télécom``) count for less
than distinctive ones, and a name is only taken when one distinctive word matched or the whole
name did. Two parties scoring the same are ambiguous: the caller says so instead of guessing.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher, get_close_matches

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Client, Expense, Supplier
from khazna.text import fold

LEGAL = {
    "sarl", "eurl", "spa", "sa", "snc", "sci", "ets", "ste", "sas", "epe", "epic", "mme", "m",
    "mr", "شذمم", "شركه", "مؤسسه", "السيد", "السيده",
}  # fmt: skip
LEGAL = {fold(w) for w in LEGAL}  # compared with folded words (مؤسسة → موسسه)
GENERIC = {
    "de", "la", "le", "les", "des", "du", "d", "l", "et", "el", "al", "of", "the", "and",
    "distribution", "centre", "agence", "entreprises", "travaux", "publics", "services",
    "telecom", "mobile", "medical", "logistique", "ingenierie", "immobilier", "print", "agro",
    "plast", "hydrocarbures", "assurances", "maintenance", "service", "expertise", "comptable",
    "cabinet", "conseil", "express", "media", "hebergement", "recette", "impots", "direction",
    "wilaya", "alger", "algerie", "education", "station", "restaurant", "hotel", "caisse",
    "personnel", "dz", "apc", "eph", "est", "ouest", "nord", "sud", "unite", "frais", "للتوزيع", "للبناء", "مديريه", "الصحه", "لولايه", "ولايه",
}  # fmt: skip
GENERIC = {fold(w) for w in GENERIC}

# Arabic letters → the Latin consonant class they are usually written with in Algeria
_AR_SKELETON = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r",
    "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "", "ع": "", "ء": "",
    "ا": "", "أ": "", "إ": "", "آ": "", "و": "", "ي": "", "ى": "", "ئ": "", "ؤ": "",
}  # fmt: skip
_LATIN_DIGRAPHS = (("dj", "j"), ("ch", "s"), ("sh", "s"), ("kh", "k"), ("gh", "g"), ("q", "k"),
                   ("c", "k"), ("x", "ks"), ("p", "b"), ("v", "f"))  # fmt: skip
_ARABIC = re.compile(r"[\u0600-\u06ff]")

# The common words of organisation names in Arabic and the French words the ledger writes
# them with ("مديرية الصحة لولاية بومرداس" is "Direction de la Santé de la wilaya de
# Boumerdès", "اتصالات الجزائر" is "Algérie Télécom"); proper names go by their consonants.
_AR_FR_WORDS = {
    "مديرية": "direction", "صحة": "sante", "تربية": "education", "ولاية": "wilaya",
    "بلدية": "commune apc", "جامعة": "universite", "مستشفى": "hopital eph chu",
    "أشغال": "travaux", "عمومية": "publics publique public", "اتصالات": "telecom telecoms",
    "جزائر": "algerie alger", "جزائرية": "algerienne", "وطنية": "nationale", "وطني": "national",
    "توزيع": "distribution", "كهرباء": "electricite", "غاز": "gaz", "نقل": "transport transports",
    "بناء": "construction batiment", "خدمات": "services", "طبي": "medical", "طبية": "medicale",
    "مركز": "centre", "وكالة": "agence", "تأمين": "assurance", "تأمينات": "assurances",
    "ضرائب": "impots", "صندوق": "caisse", "عقارية": "immobilier immobiliere", "عقار": "immobilier", "مكتب": "cabinet bureau",
    "دراسات": "etudes", "هندسة": "ingenierie", "مطبعة": "imprimerie print", "صيدلية": "pharmacie",
    "مخبر": "laboratoire labo", "فندق": "hotel", "مطعم": "restaurant", "محطة": "station",
    "شركة": "societe", "مؤسسة": "entreprise", "مجمع": "groupe", "مصنع": "usine",
}  # fmt: skip
# The acronyms Algerian public bodies go by, and the words of the name they stand for (the
# name may be written in full, in French or in Arabic: "la DSP de Boumerdès").
ACRONYMS = {
    "dsp": ("direction", "sante"), "dtp": ("direction", "travaux"), "djs": ("direction", "jeunesse"),
    "dsa": ("direction", "agricoles"), "duc": ("direction", "urbanisme"), "dlep": ("direction", "logement"),
    "dcp": ("direction", "commerce"), "dmi": ("direction", "mines"), "apc": ("commune",),
    "chu": ("hopital",), "eph": ("hopital",), "epsp": ("sante", "proximite"),
    "opgi": ("office", "immobiliere"), "cnas": ("caisse", "assurances"), "casnos": ("caisse", "non"),
}  # fmt: skip
TRANSLATED: dict[str, set[str]] = {}
for _ar, _fr in _AR_FR_WORDS.items():
    TRANSLATED.setdefault(fold(_ar), set()).update(_fr.split())


# The title a person's name may open with, folded (``khazna.text.fold``): f = Madame, m = Monsieur.
_TITLE_WORDS = {
    "mme": "f", "madame": "f", "mlle": "f", "melle": "f", "mademoiselle": "f",
    "m": "m", "mr": "m", "monsieur": "m",
}  # fmt: skip
_TITLE_WORDS.update({"السيدة": "f", "الآنسة": "f", "السيد": "m"})
_TITLES = {fold(k): v for k, v in _TITLE_WORDS.items()}


def civility_of(given: str, name: str) -> str:
    """How a letter addresses a client: ``given`` (the client's ``civility``: "f" or "m")
    when set, else the title the name opens with (« Mme Nadia Benali », « السيدة نادية »,
    « M. Samir Haddad »), else "" (not known: the neutral salutation). "s" (raison sociale:
    a company) is the neutral salutation whatever the name opens with."""
    if given in ("f", "m"):
        return given
    if given == "s":
        return ""
    first = name.strip().split(maxsplit=1)[0] if name.strip() else ""
    return _TITLES.get(fold(first).rstrip("."), "")


def words(text: str) -> list[str]:
    t = fold(text).replace("ش.ذ.م.م", "شذمم")
    return [w for w in re.split(r"[^\w]+|_", t) if w]


def skeleton(word: str) -> str:
    """Consonants only, Latin and Arabic mapped to the same classes (``sonelgaz`` → ``snlgz``)."""
    if _ARABIC.search(word):
        return "".join(_AR_SKELETON.get(c, "") for c in _ta_marbuta(word))
    return re.sub(r"[aeiouyhw']", "", _latin_sounds(word))


def _latin_sounds(word: str) -> str:
    """A Latin word with its consonants as an Algerian hears them: a soft ``g``/``c`` before
    e, i, y (``Gica`` → jika, ``Cevital`` → sevital), digraphs as one letter."""
    w = re.sub(r"g(?=[eiy])", "j", re.sub(r"c(?=[eiy])", "s", word))
    for a, b in _LATIN_DIGRAPHS:
        w = w.replace(a, b)
    return re.sub(r"(?<=[sktg])h", "", w)


# Arabic long vowels as a Latin spelling writes them ("جيكا" is "jika")
_AR_VOWELS = {"ي": "i", "ى": "a", "ا": "a", "أ": "a", "إ": "i", "آ": "a", "و": "u", "ة": "a"}


def _ta_marbuta(word: str) -> str:
    """A folded word's final ه back to the ة it usually was (رويبه: Rouiba, not Rouibah)."""
    return word[:-1] + "ة" if len(word) > 3 and word.endswith("ه") else word


def _vowelled(word: str) -> str:
    """A short name with its vowels, Arabic and Latin alike (``جيكا`` and ``gica`` → jika):
    two consonants are too few to tell a name by, its vowels tell it."""
    if _ARABIC.search(word):
        return "".join(_AR_VOWELS.get(c) or _AR_SKELETON.get(c, "") for c in _ta_marbuta(word))
    w = re.sub(r"(?<=[^aeiouy])e$", "", _latin_sounds(word))  # a silent final e (Amine)
    w = w.replace("ou", "u").replace("e", "i").replace("o", "u").replace("y", "i")
    return re.sub(r"(.)\1", r"\1", re.sub(r"[hw']", "", w))


def arabic_variants(word: str) -> list[str]:
    """A question word and the same without an attached preposition or article (لسونلغاز)."""
    out = [word]
    for prefix in ("وال", "بال", "لل", "ال", "ل", "ب", "و", "ف", "ك"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            out.append(word[len(prefix) :])
    return out


def word_matches(q: str, name_word: str) -> bool:
    if q == name_word:
        return True
    q_ar, n_ar = bool(_ARABIC.search(q)), bool(_ARABIC.search(name_word))
    if q_ar != n_ar:  # across scripts: a common word by its translation, a name by consonants
        ar, latin = (q, name_word) if q_ar else (name_word, q)
        if any(latin in TRANSLATED.get(v, ()) for v in arabic_variants(ar)):
            return True
        # the article a Latin spelling writes joined to a sun letter: "Ezzouar" is "ez-zouar"
        article = re.match(r"[ae]([bdjlnrstz])\1", latin)
        forms = [latin, latin[2:]] if article else [latin]
        pairs = [(q, f) for f in forms] if q_ar else [(f, name_word) for f in forms]
        return any(_sounds_alike(a, b) for a, b in pairs)
    if q_ar:
        return name_word in arabic_variants(q) or (
            len(q) >= 4 and name_word.removeprefix("ال") == q.removeprefix("ال")
        )
    if len(q) >= 4 and name_word.startswith(q):  # a name cut short
        return True
    # a typo, not another word: same first letter ("frais" is not "Raïs"), and one slip of the
    # keyboard in a word of up to 7 letters (a letter left out, added, changed or two swapped:
    # "clients" is two slips from "ciments", another word)
    return (
        len(q) >= 5
        and q[0] == name_word[:1]
        and SequenceMatcher(None, q, name_word).ratio() >= 0.84
        and (max(len(q), len(name_word)) > 7 or _slips(q, name_word) <= 1)
    )


def _sounds_alike(q: str, name_word: str) -> bool:
    """A question word and a name word in the other script that spell the same name, by their
    consonants (the question's may be cut short); a short name (two consonants) by its vowels
    too (جيكا = GICA, باب = Bab)."""
    sq, sn = skeleton(q), skeleton(name_word)
    if len(sn) == 2 and len(name_word) >= 3:
        return sq == sn and _vowelled(q) == _vowelled(name_word)
    return len(sn) >= 3 and (sq == sn or (len(sq) >= 4 and sn.startswith(sq)))


def _slips(a: str, b: str) -> int:
    """The optimal-string-alignment distance of ``a`` and ``b`` (Damerau–Levenshtein without
    re-editing a swapped pair): how many letters were left out, added, changed or swapped."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


class Party(BaseModel):
    kind: str = Field(description="client, supplier or payee")
    party_id: str = Field(description="client_id or supplier_id; for a payee, its name")
    name: str


class Match(BaseModel):
    party: Party | None = None
    ambiguous: list[Party] = Field(default_factory=list)
    score: float = 0.0


def _score(question_words: list[str], name: str) -> float:
    name_words = [w for w in words(name) if w not in LEGAL]
    if not name_words:
        return 0.0
    # two words of the name written as one ("elmanar" for El Manar, "ennour" for En Nour)
    joined = {a + b: (a, b) for a, b in zip(name_words, name_words[1:], strict=False)}
    glued = [w for q in question_words if q in joined for w in joined[q]]
    question_words = [*question_words, *glued]
    distinctive = 0.0
    total = 0.0
    # each word of the name counts once: a long name's repeated "de" is not more of a match
    for nw in dict.fromkeys(name_words):
        if any(word_matches(q, nw) for q in question_words):
            weight = 0.3 if nw in GENERIC or len(nw) <= 2 else 1.0
            total += weight
            distinctive += weight == 1.0
    whole = all(any(word_matches(q, nw) for q in question_words) for nw in name_words)
    content = {nw for nw in name_words if len(nw) > 2}
    if not distinctive and not whole:
        # a name made only of common words ("Direction de l'Éducation de la wilaya d'Alger")
        # is named by two of them at least ("la Direction de l'Éducation")
        generic_only = content <= GENERIC
        hits = {nw for nw in content if any(word_matches(q, nw) for q in question_words)}
        if not (generic_only and len(hits) >= 2):
            return 0.0
    return total + (0.5 if whole else 0.0)


def parties(
    session: Session, kinds: tuple[str, ...] = ("client", "supplier", "payee")
) -> list[Party]:
    out: list[Party] = []
    if "client" in kinds:
        for cid, name in session.execute(
            select(Client.client_id, Client.name).order_by(Client.client_id)
        ):
            out.append(Party(kind="client", party_id=cid, name=name))
    if "supplier" in kinds:
        for sid, name in session.execute(
            select(Supplier.supplier_id, Supplier.name).order_by(Supplier.supplier_id)
        ):
            out.append(Party(kind="supplier", party_id=sid, name=name))
    if "payee" in kinds:
        q = (
            select(Expense.payee)
            .where(Expense.supplier_id == "", Expense.payee != "")
            .distinct()
            .order_by(Expense.payee)
        )
        for (payee,) in session.execute(q):
            out.append(Party(kind="payee", party_id=payee, name=payee))
    return out


def find_party(
    session: Session, text: str, kinds: tuple[str, ...] = ("client", "supplier", "payee")
) -> Match:
    """The party ``text`` names best; ``ambiguous`` lists ties; an exact id or name wins
    outright, and so does the one id written as a word of the text (``Relance C03``)."""
    candidates = parties(session, kinds)
    raw = text.strip()
    for p in candidates:
        if raw and (raw.upper() == p.party_id.upper() or fold(raw) == fold(p.name)):
            return Match(party=p, score=99.0)
    tokens = {w.upper() for w in re.split(r"[^\w-]+", raw) if w}
    by_id = [p for p in candidates if p.kind != "payee" and p.party_id.upper() in tokens]
    if len(by_id) == 1:
        return Match(party=by_id[0], score=99.0)
    literal = {w for p in candidates for w in words(p.name)}
    qwords = []
    for w in words(text):
        qwords.extend(arabic_variants(w) if _ARABIC.search(w) else [w])
        if w not in literal:  # "OPGI" is a name of the books: its own word, not "office …"
            qwords.extend(ACRONYMS.get(w, ()))
    capitals = _capitals(raw)
    scored = sorted(
        (
            (s, p)
            for p in candidates
            if (s := _score(qwords, p.name) + _initials(capitals, p.name)) > 0
        ),
        key=lambda sp: -sp[0],
    )
    if not scored:
        return Match()
    best = scored[0][0]
    tied = [p for s, p in scored if s == best]
    if len(tied) > 1:
        return Match(ambiguous=tied, score=best)
    return Match(party=tied[0], score=best)


def _capitals(text: str) -> list[str]:
    """The words written in capitals (3 to 6 letters) that could be a body's initials (DEP)."""
    return [fold(w) for w in re.findall(r"(?<![\w-])[A-Z]{3,6}(?![\w-])", text)]


def _initials(capitals: list[str], name: str) -> float:
    """A distinctive word's weight when one of ``capitals`` is the initials of the name's
    first content words ("la DEP" for Direction des Équipements Publics), else 0; a word the
    name writes itself (OPGI de Sétif) is matched as a word, not as initials."""
    content = [w for w in words(name) if w not in LEGAL and w not in _ARTICLES and len(w) > 2]
    if len(content) < 3 or not capitals:
        return 0.0
    initials = "".join(w[0] for w in content)
    return 1.0 if any(initials.startswith(c) and c not in content for c in capitals) else 0.0


# the words a name's initials leave out (Direction *de la* Santé)
_ARTICLES = {"de", "la", "le", "les", "des", "du", "et", "en", "d", "l", "of", "the", "and"}


def named_parties(session: Session, text: str, kinds: tuple[str, ...]) -> list[Party]:
    """Every party of ``kinds`` whose whole name, or a distinctive word of it, ``text`` says
    ("CodeLink and DataSoft together": both suppliers), in the order of the ledger."""
    qwords = []
    for w in words(text):
        qwords.extend(arabic_variants(w) if _ARABIC.search(w) else [w])
    return [p for p in parties(session, kinds) if _score(qwords, p.name) >= 1.0]


def close_names(session: Session, text: str, kinds: tuple[str, ...], n: int) -> list[str]:
    """Up to ``n`` names of ``kinds`` spelled closest to ``text`` (what an unknown name is
    answered with: "clients proches : …")."""
    names = [p.name for p in parties(session, kinds)]
    return get_close_matches(text, names, n=n, cutoff=0.4)


def find_client(session: Session, text: str) -> tuple[str, str] | None:
    """``(client_id, name)`` of the one client ``text`` names, or None (none, or a tie)."""
    m = find_party(session, text, ("client",))
    return (m.party.party_id, m.party.name) if m.party else None
