"""Who sent a reply, as the owner's own mail server saw it: ``Authentication-Results``.

No DKIM library is installed (dkimpy and authres are absent from the environment), so Khazna
does not verify signatures itself: it reads the verdict the receiving server wrote in an
``Authentication-Results`` header (RFC 8601), and only from a server the owner trusts
(``KHAZNA_TRUSTED_AUTHSERV``, :func:`khazna.config.trusted_authserv`). Anyone can write such a
header in the message they send, so:

- a header whose authserv-id is not trusted is ignored;
- of the trusted ones, only the topmost counts: the receiving server prepends its own, so a
  copy written by the sender lies beneath it (a trusted server should also strip such
  copies, RFC 8601 section 5 — Postfix/OpenDMARC, Rspamd and Gmail do);
- a pass counts only when it is about the ``From:`` domain: ``dmarc=pass`` (whose
  ``header.from``, when given, is that domain), or ``dkim=pass`` with ``header.d`` aligned
  with it, or ``spf=pass`` with ``smtp.mailfrom`` aligned with it (relaxed alignment: the
  same domain or one a subdomain of the other).

Everything here is pure: text in, a :class:`SenderAuth` out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_HEADER_CHARS = 8_000  # an Authentication-Results header longer than this is not read


@dataclass(frozen=True)
class ResInfo:
    method: str  # dkim, spf, dmarc, arc, ...
    result: str  # pass, fail, none, ...
    props: dict[str, str] = field(default_factory=dict)  # "header.d" -> "client.dz"


@dataclass(frozen=True)
class AuthResults:
    authserv_id: str
    results: tuple[ResInfo, ...]


@dataclass(frozen=True)
class SenderAuth:
    authenticated: bool
    by: str = ""  # the trusted authserv-id whose header was read ('' when none)
    method: str = ""  # dmarc, dkim or spf: what passed
    detail: str = ""  # why not, in French, for the owner

    def as_dict(self) -> dict[str, object]:
        return {
            "authenticated": self.authenticated,
            "by": self.by,
            "method": self.method,
            "detail": self.detail,
        }


def _strip_comments(text: str) -> str:
    """``text`` without its (possibly nested) comments, quoted strings kept as they are."""
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for ch in text:
        if escaped:
            escaped = False
            if not depth:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if not depth:
                out.append(ch)
            continue
        if quoted:
            if ch == '"':
                quoted = False
            out.append(ch)
        elif ch == '"' and not depth:
            quoted = True
            out.append(ch)
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def _split_semicolons(text: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts]


_PAIR = re.compile(r'([A-Za-z0-9_.-]+)(?:/\d+)?\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;"]+)')


def parse_authentication_results(value: str) -> AuthResults | None:
    """One ``Authentication-Results`` header value, or None when it cannot be read."""
    if len(value) > MAX_HEADER_CHARS:
        return None
    pieces = _split_semicolons(_strip_comments(value.replace("\r", " ").replace("\n", " ")))
    head = pieces[0].split()
    if not head:
        return None
    results: list[ResInfo] = []
    for piece in pieces[1:]:
        pairs = [(k.lower(), v.strip('"')) for k, v in _PAIR.findall(piece)]
        if not pairs:
            continue
        (method, result), rest = pairs[0], pairs[1:]
        results.append(ResInfo(method, result.lower(), {k: v.lower() for k, v in rest}))
    return AuthResults(head[0].lower().rstrip("."), tuple(results))


def _domain(address_or_domain: str) -> str:
    return address_or_domain.rsplit("@", 1)[-1].strip().strip(".").lower()


def aligned(a: str, b: str) -> bool:
    """Relaxed alignment: the same domain, or one a subdomain of the other."""
    a, b = _domain(a), _domain(b)
    return bool(a and b) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def sender_auth(
    header_values: Iterable[str], from_address: str, trusted: Iterable[str]
) -> SenderAuth:
    """The verdict on ``from_address`` given a message's ``Authentication-Results`` header
    values (top first) and the trusted authserv-ids."""
    trusted_ids = {t.lower() for t in trusted}
    if not trusted_ids:
        return SenderAuth(False, detail="aucun serveur de confiance (KHAZNA_TRUSTED_AUTHSERV)")
    domain = _domain(from_address)
    if not domain:
        return SenderAuth(False, detail="pas d'adresse d'expéditeur")
    for value in header_values:
        ar = parse_authentication_results(value)
        if ar is None or ar.authserv_id not in trusted_ids:
            continue
        # the topmost header of a trusted server is its verdict; nothing below it counts
        for r in ar.results:
            if r.result != "pass":
                continue
            if r.method == "dmarc" and aligned(r.props.get("header.from", domain), domain):
                return SenderAuth(True, ar.authserv_id, "dmarc")
            if r.method == "dkim" and aligned(r.props.get("header.d", ""), domain):
                return SenderAuth(True, ar.authserv_id, "dkim")
            if r.method == "spf" and aligned(r.props.get("smtp.mailfrom", ""), domain):
                return SenderAuth(True, ar.authserv_id, "spf")
        seen = ", ".join(f"{r.method}={r.result}" for r in ar.results) or "aucun résultat"
        return SenderAuth(
            False, ar.authserv_id, detail=f"{ar.authserv_id} : {seen} (pas pour {domain})"
        )
    return SenderAuth(
        False, detail="aucun en-tête Authentication-Results d'un serveur de confiance"
    )
