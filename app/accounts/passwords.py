"""Passwords: argon2 hashes (argon2-cffi's defaults, RFC 9106's low-memory profile) and a
strength rule that says why a password is refused."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
# Long enough for any passphrase, short enough that hashing stays cheap for an attacker's input.
MAX_LENGTH = 1_000
# The most common choices that pass the length rule; a breach list would be better, but the
# site makes no calls to other hosts.
_COMMON = frozenset(
    {"123456789012", "1234567890123", "qwertyuiopas", "passwordpassword", "password1234",
     "adgangskode1", "adgangskode12", "sommer2024!!", "kodeordkodeord", "111111111111",
     "aaaaaaaaaaaa", "qwerty123456", "iloveyou1234", "abcdefghijkl", "abc123abc123"}
)  # fmt: skip

_hasher = PasswordHasher()


def N_(message: str) -> str:  # noqa: N802  (Babel's marker for a msgid used later)
    return message


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches; a malformed hash never matches."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def weakness(password: str, email: str) -> str | None:
    """Why a password is too weak (an English message to translate), or None."""
    if len(password) < MIN_LENGTH:
        return N_("The password must have at least 12 characters.")
    if len(password) > MAX_LENGTH:
        return N_("The password can have at most 1000 characters.")
    if len(set(password)) < 5:
        return N_("The password must have at least 5 different characters.")
    lowered = password.lower()
    if lowered in _COMMON:
        return N_("The password is too common.")
    local = email.lower().partition("@")[0]
    if len(local) >= 4 and local in lowered:
        return N_("The password must not contain your e-mail address.")
    return None
