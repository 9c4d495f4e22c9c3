"""Password hashes for settings.server.auth_users (standard library PBKDF2-SHA256)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
SALT_BYTES = 16


def hash_password(password: str, *, iterations: int = ITERATIONS) -> str:
    """Hash a password as `pbkdf2_sha256$<iterations>$<salt_b64>$<hash_b64>`."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches the `stored` hash; False for any malformed hash."""
    try:
        algorithm, iterations, salt_b64, hash_b64 = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
        rounds = int(iterations)
    except ValueError:  # wrong field count, bad base64 or a non-numeric count
        return False
    if rounds < 1 or not expected:
        return False
    return hmac.compare_digest(_derive(password, salt, rounds), expected)


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
