"""A temporary lock-out after repeated failed log-ins, per account and per address.

Counted in the shared rate-limit table (HMAC keys, so neither e-mail nor address is stored),
in fixed windows: after ACCOUNT_FAILURES failed attempts on one e-mail, or ADDRESS_FAILURES
from one address, log-in is refused until the window ends, even with the right password. The
message never says which, nor whether the e-mail exists.
"""

from app.web.ratelimit import RateLimitStore

ACCOUNT_FAILURES = 5
# Generous: a town hall's staff may all come from one address.
ADDRESS_FAILURES = 100
WINDOW = 15 * 60


class LoginGuard:
    def __init__(self, store: RateLimitStore) -> None:
        self.store = store

    def locked_for(self, email: str, address: str) -> int:
        """Seconds until log-in is allowed again; 0 when it is allowed now."""
        now = int(self.store.clock())
        waits = []
        for scope, key, limit in self._counts(email, address):
            hit = self.store.peek(scope, key, per=WINDOW)
            if hit.count >= limit:
                waits.append(hit.expires_at - now)
        return max(waits, default=0)

    def failed(self, email: str, address: str) -> None:
        for scope, key, _limit in self._counts(email, address):
            self.store.hit(scope, key, per=WINDOW)

    @staticmethod
    def _counts(email: str, address: str) -> list[tuple[str, str, int]]:
        return [
            ("login-account", email.strip().lower(), ACCOUNT_FAILURES),
            ("login-address", address, ADDRESS_FAILURES),
        ]
