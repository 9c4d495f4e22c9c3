"""PBKDF2 password hashes for server.auth_users."""

from __future__ import annotations

import base64

import pytest

from assistant.components.passwords import hash_password, verify_password


def test_hash_round_trip_and_format():
    stored = hash_password("正确的密码", iterations=1000)
    algorithm, iterations, salt, digest = stored.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", "1000")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32  # sha256 output
    assert verify_password(stored, "正确的密码")
    assert not verify_password(stored, "错误的密码")


def test_same_password_gets_a_fresh_salt():
    assert hash_password("abc", iterations=1000) != hash_password("abc", iterations=1000)


def test_default_hash_verifies():
    assert verify_password(hash_password("s3cret"), "s3cret")


@pytest.mark.parametrize("stored", [
    "", "plain-text-password", "md5$1000$c2FsdA==$aGFzaA==", "pbkdf2_sha256$x$c2FsdA==$aGFzaA==",
    "pbkdf2_sha256$0$c2FsdA==$aGFzaA==", "pbkdf2_sha256$1000$!!$aGFzaA==", "pbkdf2_sha256$1000$c2FsdA==$",
])
def test_malformed_hashes_never_verify(stored):
    assert verify_password(stored, "plain-text-password") is False
