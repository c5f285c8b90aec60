"""The primitives: sealing, Argon2id key derivation, receipts and their keyed index."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from argon2.low_level import Type, hash_secret_raw
from django.test import override_settings

from hwallyu.integrity import crypto


def test_sealed_content_opens_only_with_the_matching_private_key():
    public, private = crypto.new_keypair()
    _, other_private = crypto.new_keypair()
    box = crypto.seal_json(public, {"title": "제목", "body": "내용"})
    assert b"\xec\xa0\x9c\xeb\xaa\xa9" not in box  # "제목" in UTF-8 is not in the ciphertext
    assert crypto.unseal_json(private, box) == {"title": "제목", "body": "내용"}
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(other_private, box)


def test_padding_hides_the_length_of_short_texts():
    public, _ = crypto.new_keypair()
    assert len(crypto.seal(public, b"a")) == len(crypto.seal(public, b"a" * 200))


def test_derive_key_is_argon2id_with_the_given_salt_and_cost():
    params = crypto.KdfParams(time_cost=1, memory_kib=8 * 1024)
    salt = b"s" * 16
    expected = hash_secret_raw(
        secret=b"1234567890123456", salt=salt, time_cost=1, memory_cost=8192, parallelism=1, hash_len=32, type=Type.ID
    )
    assert crypto.derive_key("1234567890123456", salt, params) == expected
    assert crypto.derive_key("1234567890123456", b"t" * 16, params) != expected


def test_kdf_cost_is_cheap_in_tests_and_sized_for_a_two_core_server_otherwise():
    assert crypto.kdf_params().memory_kib <= 16 * 1024
    with override_settings(TESTING=False):
        params = crypto.kdf_params()
    assert (params.time_cost, params.memory_kib, params.parallelism) == (3, 64 * 1024, 1)


def test_secretbox_refuses_a_wrong_key():
    key = b"k" * 32
    box = crypto.secret_encrypt(key, b"private")
    assert crypto.secret_decrypt(key, box) == b"private"
    with pytest.raises(crypto.CryptoError):
        crypto.secret_decrypt(b"x" * 32, box)


def test_receipts_are_sixteen_random_digits():
    receipts = {crypto.receipt_new() for _ in range(200)}
    assert len(receipts) == 200
    assert all(len(r) == 16 and r.isdigit() for r in receipts)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234 5678 9012 3456", "1234567890123456"),
        ("1234-5678-9012-3456", "1234567890123456"),
        ("123456789012345", None),
        ("12345678901234567", None),
        ("1234 5678 9012 345a", None),
        ("１２３４５６７８９０１２３４５６", None),  # full-width digits are not accepted
        ("", None),
    ],
)
def test_receipt_normalize(typed, expected):
    assert crypto.receipt_normalize(typed) == expected


def test_receipt_lookup_is_an_hmac_keyed_by_a_pepper_from_secret_key():
    receipt = "1234567890123456"
    lookup = crypto.receipt_lookup(receipt)
    assert lookup == hmac.new(crypto._pepper(), receipt.encode(), hashlib.sha256).hexdigest()
    assert lookup != hashlib.sha256(receipt.encode()).hexdigest()
    with override_settings(SECRET_KEY="another-secret-key-for-another-installation"):
        assert crypto.receipt_lookup(receipt) != lookup
