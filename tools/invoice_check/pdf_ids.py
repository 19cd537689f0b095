"""Algerian identifiers in PDF text: found by their label and read by their shape.

Each identifier kind has a wide lexicon of labels (``R.C``, ``RC N°``, ``Registre de
commerce``, ``N.I.F``, ``Matricule fiscal``, ``Art. Imp.``, ``Article d'imposition``…). The
value attached to a label is what follows it on its line, past the label's own punctuation,
``N°`` and (for a RIB) the bank's name, in the shape of the kind: digit groups for NIF, NIS,
AI and RIB, digit groups, ``/``, ``-`` and one-letter parts for an RC. A label alone in its
cell takes the cell below (identifiers printed as a table). Malformed values are kept as
printed, so that the rules can say they are malformed.

Identifier-shaped numbers that no label claims (15, 11 or 20 digits, an RC form) are kept as
*candidates*: a mention with no label is "absent" only when no candidate could be it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khazna.tools.invoice_check.pdf_find import CELL

# The labels of each kind, most specific first. Short acronyms are matched with their case
# (RC, NIF, AI are capitals on an invoice; "ai" is also a French word).
_I = re.IGNORECASE
LABELS: dict[str, list[re.Pattern[str]]] = {
    "rc": [
        re.compile(r"(?:n[°º]\s*(?:du\s+|de\s+)?)?registre\s+d[eu]\s+commerce", _I),
        re.compile(r"\bN[°º]?\s*R\.?\s?C\.?(?![\w'’])"),
        re.compile(r"(?<![\w.])R\.?\s?C\.?(?:\s*S)?(?![\w'’])"),
        re.compile(r"(?<![\w.])Rc(?![\w'’])"),
        re.compile(r"(?<![\w.])rc(?=\s*(?:n[°º]\s*)?:|\s+n[°º])"),  # "rc n° :" in lower case
    ],
    "nif": [
        re.compile(r"matricule\s+fiscale?", _I),
        re.compile(r"(?:n[°º]\s*(?:d['’]\s*)?)?identifi(?:ant|cation)\s+fiscale?", _I),
        re.compile(r"(?<![\w.])(?:n[°º]|num(?:é|e)ro)\s*fiscal(?:e|\b)", _I),
        re.compile(r"(?<![\w.])N\.?\s?I\.?\s?F\.?(?![\w'’])"),
        re.compile(r"(?<![\w.])Nif(?![\w'’])"),
        re.compile(r"(?<![\w.])M\.\s?F\.?(?![\w'’])"),
        re.compile(r"(?<![\w.])nif(?=\s*(?:n[°º]\s*)?:)"),
    ],
    "nis": [
        re.compile(r"(?:n[°º]\s*(?:d['’]\s*)?)?identifi(?:ant|cation)\s+statistique", _I),
        re.compile(r"(?<![\w.])(?:n[°º]|num(?:é|e)ro|matricule)\s*statistique", _I),
        re.compile(r"(?<![\w.])N\.?\s?I\.?\s?S\.?(?![\w'’])"),
        re.compile(r"(?<![\w.])Nis(?![\w'’])"),
        re.compile(r"(?<![\w.])nis(?=\s*(?:n[°º]\s*)?:)"),
    ],
    "ai": [
        re.compile(r"(?:n[°º]\s*(?:d['’]\s*)?)?art(?:icle|\.)?\s*d['’]\s*imp(?:osition|\.)?", _I),
        re.compile(r"(?<![\w.])art\.?\s*imp(?:osition|\.)?(?![\w])", _I),
        re.compile(r"(?<![\w.])A\.?\s?I\.?(?![\w'’])"),
        re.compile(r"(?<![\w.])n[°º]\s*(?:d['’]\s*)?article(?![\w])", _I),
        re.compile(r"(?<![\w.'’])ai(?=\s*(?:n[°º]\s*)?:)"),
    ],
    "rib": [
        re.compile(r"relev[ée]\s+d['’]\s*identit[ée]\s+bancaire", _I),
        re.compile(r"(?<![\w.])R\.?\s?I\.?\s?[BP]\.?(?![\w'’])"),
        re.compile(r"(?<![\w.])Ri[bp](?![\w'’])"),
        re.compile(r"(?<![\w.])(?:compte|cpte)\s+(?:bancaire|n[°º])", _I),
        re.compile(r"(?<![\w.])(?:coordonn(?:é|e)es|domiciliation)\s+bancaires?", _I),
        re.compile(r"(?<![\w.])IBAN(?![\w])"),
        re.compile(r"(?<![\w.])ri[bp](?=\s*(?:[a-z]{2,5}\s*)?:)"),
    ],
}
KINDS = tuple(LABELS)
_ANY_LABEL = [p for pats in LABELS.values() for p in pats]
# What may sit between a label and its value: punctuation, "N°", "n°", "No", "numéro".
# A closing parenthesis too: "N° d'identification fiscale (NIF)   0001…".
_LEAD = re.compile(r"^(?:[\s:.#°º\-–—=)]|n[°º]|\bno\b\.?|num(?:é|e)ro\b)*", re.I)
_RC_TOKEN = re.compile(r"^(?:\d[\d/\-.]*|[A-Z])$")
_DIGIT_TOKEN = re.compile(r"^\d[\d.\-]*$")
_SHAPES = [
    ("rc", re.compile(r"(?<![\w/])\d{2}/\d{2}-\d{5,8}\s*[A-Z]\s*\d{2}(?![\w/])")),
    ("rc", re.compile(r"(?<![\w/])\d{2}\s*[A-Z]\s*\d{5,8}\s*\d{2}/\d{2}(?![\w/])")),
    ("d20", re.compile(r"(?<!\d)\d{20}(?!\d)")),
    ("d20", re.compile(r"(?<![\d ])\d{3} \d{5} \d{10} \d{2}(?![\d])")),
    ("d15", re.compile(r"(?<![\d ])\d{5} \d{5} \d{5}(?![\d])")),
    ("d15", re.compile(r"(?<!\d)\d{15}(?!\d)")),
    ("d11", re.compile(r"(?<!\d)\d{11}(?!\d)")),
]
# Which candidate shapes could be which mention.
COULD_BE = {"rc": {"rc"}, "nif": {"d15", "d20"}, "nis": {"d15"}, "ai": {"d11"}, "rib": {"d20"}}


@dataclass
class IdHit:
    kind: str
    line: int
    start: int  # column of the label
    end: int  # column after the value (or the label when there is no value)
    value: str | None  # None: a label whose value could not be read


def _label_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every identifier label on the line, longest first, no overlap."""
    found: list[tuple[int, int, str]] = []
    for kind, pats in LABELS.items():
        for pat in pats:
            for m in pat.finditer(line):
                found.append((m.start(), m.end(), kind))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, str]] = []
    for s, e, k in found:
        if out and s < out[-1][1]:
            continue
        out.append((s, e, k))
    return out


def _value(kind: str, text: str) -> str | None:
    """The identifier at the start of ``text`` (after the label), in the shape of ``kind``."""
    lead = _LEAD.match(text)  # past a gap too: "RC      : 16/00-…" (a label column)
    rest = text[lead.end() if lead else 0 :]
    rest = re.split(r"\s{3,}|\s[–—|;]\s|\s-\s", rest, maxsplit=1)[0]
    tokens = rest.replace(",", " ").split()
    if kind == "rib":  # "RIB CNEP : 0021…", "RIB (BNA) 0013…": the bank before the digits
        skip = 0
        while skip < min(4, len(tokens)) and not tokens[skip][0].isdigit():
            skip += 1
        tokens = [t for t in tokens[skip:] if t not in (":", "-")]
    shape = _RC_TOKEN if kind == "rc" else _DIGIT_TOKEN
    taken: list[str] = []
    for tok in tokens:
        tok = tok.rstrip(".;")
        if not shape.match(tok):
            break
        taken.append(tok)
    while taken and not taken[-1][0].isdigit():  # "… B" then a word: the letter is not ours
        if kind == "rc" and len(taken) >= 2:
            break
        taken.pop()
    value = " ".join(taken).strip(" -.")
    return value if re.search(r"\d", value) else None


def find_ids(lines: list[str]) -> list[IdHit]:
    """Every identifier label of the text with the value attached to it (None when the
    label holds none that can be read)."""
    hits: list[IdHit] = []
    for i, line in enumerate(lines):
        spans = _label_spans(line)
        for n, (s, e, kind) in enumerate(spans):
            stop = spans[n + 1][0] if n + 1 < len(spans) else len(line)
            value = _value(kind, line[e:stop])
            if (
                value
                and len(re.sub(r"\D", "", value)) < 6
                and re.match(r"\s*:?\s{3}", line[e:stop])
            ):
                value = None  # "NIF      14, rue …": another column's figure, not an identifier
            end = e
            # alone in its cell (a grid's header: "A.I      Capital social"): the cell below
            if value is None and re.match(r"[\s:.°º]*(?:$|\s{3})", line[e:stop]):
                value = _below(lines, i, s, e, kind)
            elif value is not None:
                end = e + line[e:].find(value.split(" ")[0]) + len(value)
            hits.append(IdHit(kind, i, s, end, value))
    return hits


def _below(lines: list[str], i: int, start: int, end: int, kind: str) -> str | None:
    """The value in the cell under a label printed as a column header."""
    for j in range(i + 1, min(len(lines), i + 3)):
        if not lines[j].strip():
            continue
        for c in CELL.finditer(lines[j]):
            if min(end + 2, c.end()) - max(start - 2, c.start()) > 0:
                if _label_spans(c.group()):
                    return None
                return _value(kind, c.group())
        return None
    return None


def candidates(lines: list[str], hits: list[IdHit]) -> list[tuple[str, int, int]]:
    """(shape, line, column) of identifier-shaped numbers no label claims."""
    claimed = {(h.line, c) for h in hits for c in range(h.start, h.end)}
    out = []
    for i, line in enumerate(lines):
        for shape, pat in _SHAPES:
            for m in pat.finditer(line):
                if (i, m.start()) in claimed:
                    continue
                out.append((shape, i, m.start()))
    return out
