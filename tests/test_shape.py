"""Shape checks tell random keys from digests, UUIDs, runs and placeholders."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from scanner.rules.check import generate_fake_key
from scanner.engine.shape import is_embedded, is_templated, looks_like_mistral_key


def test_generated_keys_have_key_shape():
    assert all(looks_like_mistral_key(generate_fake_key()) for _ in range(200))


@pytest.mark.parametrize("candidate", [
    hashlib.md5(b"x").hexdigest(),
    hashlib.md5(b"x").hexdigest().upper(),
    uuid.uuid4().hex,
    "a" * 32,
    "abcdefghijklmnopqrstuvwxyzABCDEF",
    "0123456789abcdefghijQRSTUVWXyz12",
    "YOURMISTRALAPIKEYGOESHERE1234567",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "ChangeMe9ChangeMe9ChangeMe9Chang",
    "dummyKey1dummyKey2dummyKey3dummy",
    "getMistralApiKeyFromEnvironments",
    "thisIsAVeryLongVariableNameHereX",
    "abababababababababababababababab",
    "ABCDEFGHIJKLMNOP1234567890QRSTUV",
    "short",
    "has-dash-" + "a1B2" * 6,
])
def test_look_alikes_are_rejected(candidate):
    assert not looks_like_mistral_key(candidate)


@pytest.mark.parametrize("check, text, start, end, expected", [
    (is_templated, "x=$ABC", 3, 6, True),
    (is_templated, "x=<ABC>", 3, 6, True),
    (is_templated, "x={ABC}", 3, 6, True),
    (is_templated, "x=%ABC%", 3, 6, True),
    (is_templated, 'x="ABC"', 3, 6, False),
    (is_templated, "x=ABC", 2, 5, False),
    (is_embedded, "k=ABC+def", 2, 5, True),
    (is_embedded, "k=ABC/def", 2, 5, True),
    (is_embedded, "k=ABC==", 2, 5, True),
    (is_embedded, "k=+ABC", 3, 6, True),
    (is_embedded, 'k="ABC"', 3, 6, False),
    (is_embedded, "k=ABC", 2, 5, False),
])
def test_templated_and_embedded_slots(check, text, start, end, expected):
    assert check(text, start, end) is expected
