"""SM4-GCM at rest: ciphertext is bound to its row and field; tampering is detected; blind indexes match."""
import pytest

from core import crypto
from tests.factories import PersonFactory


def test_known_answer_self_test():
    """GB/T 32907 / 32905 known answers for SM4 and SM3."""
    crypto.self_test()


def test_round_trip_and_binding_to_row_and_field():
    blob = crypto.encrypt("410823199001011234", aad="cases.person.id_number:a")
    assert crypto.decrypt(blob, aad="cases.person.id_number:a") == "410823199001011234"
    with pytest.raises(crypto.DecryptionError, match="密文校验失败"):
        crypto.decrypt(blob, aad="cases.person.id_number:b")
    tampered = bytearray(blob)
    tampered[-20] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(bytes(tampered), aad="cases.person.id_number:a")
    assert crypto.encrypt("x", aad="a") != crypto.encrypt("x", aad="a")  # fresh nonce each time


def test_blind_index_is_deterministic_and_kind_separated():
    assert crypto.blind_index("id", "1") == crypto.blind_index("id", "1")
    assert crypto.blind_index("id", "1") != crypto.blind_index("card", "1")
    assert len(crypto.blind_index("id", "1")) == 64


@pytest.mark.django_db
def test_ciphertext_copied_to_another_person_does_not_decrypt():
    """A ciphertext moved to another row fails instead of showing the wrong person's number."""
    a, b = PersonFactory(), PersonFactory()
    b.id_cipher = a.id_cipher
    with pytest.raises(crypto.DecryptionError):
        b.reveal_id_number()
    assert bytes(a.id_cipher).find(a.reveal_id_number().encode()) == -1
