"""What the household import (imports, the same floor) needs from funds, handed over through
`core.registry.collect("household_import", "PAYEES")` so that neither app imports the other:

- `current(household_ids)`: each household's active card as {household id: (card index, bank, masked card)};
- `write(entries, actor_id=..., new_households=...)`: register the cards of a file — each entry is (household id, payee person id,
  payee name, card number, bank name, county, township, village). The card is sealed, blind-indexed and masked
  by `funds.models.seal_card`, the function `PayeeAccount.set_card` uses for a card entered on the payee page; a household's previous active card
  is kept on record, inactive (as `services.payee_set` does). Set-based: an UPDATE per 5,000 households and one
  streamed COPY.
"""
from __future__ import annotations

import uuid

from django.utils import timezone

from core import bulk, crypto, pii
from funds.models import PayeeAccount, seal_card

CHUNK = 5_000
FIELDS = ["uid", "key_version", "household_id", "person_id", "payee_name", "card_cipher", "card_index", "card_masked",
          "bank_name", "active", "created_by_id", "created_at", "county_id", "township_id", "village_id"]


def current(household_ids) -> dict[int, tuple[str, str, str]]:
    ids = list(household_ids)
    out: dict[int, tuple[str, str, str]] = {}
    for start in range(0, len(ids), CHUNK):
        for hid, index, bank, masked in (PayeeAccount.objects.filter(household_id__in=ids[start:start + CHUNK],
                                                                      active=True)
                                         .values_list("household_id", "card_index", "bank_name", "card_masked")):
            out[hid] = (index, bank, masked)
    return out


def write(entries, *, actor_id: int | None, new_households=frozenset()) -> int:
    """`new_households`: households this import created, which have no card yet to set aside."""
    entries = list(entries)
    if not entries:
        return 0
    now = timezone.now()
    aad = PayeeAccount(uid=uuid.UUID(int=0)).aad("card_number")[:-36]  # "funds.payeeaccount.card_number:"
    household_ids = [e[0] for e in entries if e[0] not in new_households]
    for start in range(0, len(household_ids), CHUNK):
        PayeeAccount.objects.filter(household_id__in=household_ids[start:start + CHUNK], active=True).update(
            active=False, replaced_at=now)
    bulk.stream_rows(PayeeAccount, FIELDS, _rows(entries, aad, actor_id, now))
    return len(entries)


def _rows(entries, aad: str, actor_id: int | None, now):
    """The cards sealed as they are written (bounded memory: no list of sealed rows)."""
    for (hid, person_id, payee_name, card, bank, county, township, village), uid in zip(
            entries, bulk.rising_uids(len(entries)), strict=True):
        cipher, index, masked = seal_card(pii.normalize_card(card), f"{aad}{uid}")
        yield (uid, crypto.key_version(cipher), hid, person_id, payee_name, cipher, index, masked, bank, True,
               actor_id, now, county, township, village)


PAYEES = {"current": current, "write": write}
