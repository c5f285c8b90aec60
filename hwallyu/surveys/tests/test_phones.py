import hmac

import pytest

from hwallyu.surveys import phones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("010.1234.5678", "010-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
        ("82-10-1234-5678", "010-1234-5678"),
        ("(011) 234-5678", "011-234-5678"),
        ("016-2345-6789", "016-2345-6789"),
        ("02-123-4567", ""),  # a landline cannot get AlimTalk or SMS survey links
        ("041-746-1234", ""),
        ("010-0123-4567", ""),
        ("010-1234-567", ""),
        ("", ""),
        ("연락처 없음", ""),
        ("０１０-１２３４-５６７８", ""),
        ("010-１２３４-５６７８", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert phones.normalize(raw) == expected


def test_hash_is_keyed_hmac_of_the_digits(settings) -> None:
    value = phones.phone_hash("010-1234-5678")
    assert len(value) == 64 and "01012345678" not in value
    assert value == hmac.digest(phones.hash_key(), b"01012345678", "sha256").hex()
    assert value == phones.phone_hash("010-1234-5678")
    assert phones.phone_hash("") == ""
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert phones.phone_hash("010-1234-5678") != value


def test_mask() -> None:
    assert phones.mask("010-1234-5678") == "010-****-5678"
