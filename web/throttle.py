"""Login throttling, counted in the ledger database (``login_attempts``): a restart of the
server, or a second server process on the same ledger, sees the same counts.

Within ``window`` seconds (15 minutes by default) a login is refused, before any password is
hashed, when there were already

- ``max_failures`` failures for this name from this address since its last success (5);
- ``per_address`` failures from this address, whatever the names (20): a spray of names;
- ``per_account`` failures for this name from any address (10): a guess spread over many
  addresses. An address from which this user signed in during the last
  ``known_address_days`` days is not held by this count, so that strangers cannot lock the
  owner out of the office machine.

The client's address is the TCP peer's: ``X-Forwarded-For`` is read only from a trusted proxy
(``khazna serve --trusted-proxy ADDR``, applied before this code sees the request).

Hashing is what a flood costs (argon2: 64 MiB and tens of milliseconds per check). The app
hashes at most ``hash_slots`` passwords at once (in :mod:`khazna.web.app`), and a name that is
nobody's is checked against a dummy hash (so that it takes as long as a wrong password) only
within ``unknown_per_minute`` such attempts a minute, all addresses together; past that
budget an unknown name is refused without hashing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from khazna.ledger.tables_users import LoginAttempt


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def name_key(username: str) -> str:
    return username.strip().lower()[:120]


@dataclass
class LoginLimiter:
    max_failures: int = 5
    window: float = 900.0
    per_address: int = 20
    per_account: int = 10
    unknown_per_minute: int = 30
    known_address_days: int = 30
    clock: Callable[[], datetime] = field(default=_now)

    def _failures(self, s: Session, since: datetime, *where) -> tuple[int, datetime | None]:
        count, oldest = s.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                LoginAttempt.ok.is_(False), LoginAttempt.at >= since, *where
            )
        ).one()
        return int(count), oldest

    def blocked_for(self, s: Session, address: str, username: str) -> float:
        """Seconds until a new attempt is allowed (0 when allowed now)."""
        now = self.clock()
        window = timedelta(seconds=self.window)
        since = now - window
        name = name_key(username)
        address = address[:64]
        last_ok = s.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.ok.is_(True),
                LoginAttempt.username == name,
                LoginAttempt.address == address,
            )
        )
        pair_since = max(since, last_ok) if last_ok is not None else since
        counts = [
            (
                self._failures(
                    s, pair_since, LoginAttempt.username == name, LoginAttempt.address == address
                ),
                self.max_failures,
            ),
            (self._failures(s, since, LoginAttempt.address == address), self.per_address),
        ]
        known_here = last_ok is not None and last_ok >= now - timedelta(
            days=self.known_address_days
        )
        if not known_here:
            counts.append(
                (self._failures(s, since, LoginAttempt.username == name), self.per_account)
            )
        wait = 0.0
        for (count, oldest), limit in counts:
            if count >= limit and oldest is not None:
                wait = max(wait, (oldest + window - now).total_seconds(), 1.0)
        return wait

    def begin(self, s: Session, address: str, username: str, *, known: bool) -> int:
        """Record an attempt as failed before the password is checked (concurrent attempts
        count too); :meth:`succeeded` marks it good. Old rows are purged on the way."""
        now = self.clock()
        s.execute(
            delete(LoginAttempt).where(
                LoginAttempt.at < now - timedelta(seconds=max(self.window, 60.0)),
                LoginAttempt.ok.is_(False),
            )
        )
        s.execute(
            delete(LoginAttempt).where(
                LoginAttempt.at < now - timedelta(days=self.known_address_days)
            )
        )
        attempt = LoginAttempt(
            at=now, username=name_key(username), address=address[:64], ok=False, known=known
        )
        s.add(attempt)
        s.flush()
        return attempt.id

    def may_hash_unknown(self, s: Session) -> bool:
        """Whether an unknown name may still be checked against the dummy hash this minute
        (the attempt being checked is already counted)."""
        since = self.clock() - timedelta(seconds=60)
        count = s.scalar(
            select(func.count()).where(LoginAttempt.known.is_(False), LoginAttempt.at >= since)
        )
        return int(count or 0) <= self.unknown_per_minute

    def succeeded(self, s: Session, attempt_id: int) -> None:
        s.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(ok=True))
