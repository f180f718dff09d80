"""What the household import (imports, the same floor) needs from funds, handed over through
`core.registry.collect("household_import", "PAYEES")` so that neither app imports the other:

- `current(household_ids)`: each household's active card as {household id: (card index, bank, masked card)};
- `write(entries, actor_id=...)`: register the cards of a file — each entry is (household id, payee person id,
  payee name, card number, bank name, county, township, village). The card is sealed, blind-indexed and masked
  by `PayeeAccount.set_card`, exactly as a card entered on the payee page; a household's previous active card
  is kept on record, inactive (as `services.payee_set` does). Set-based: one UPDATE and one COPY.
"""
from __future__ import annotations

from django.utils import timezone

from core import bulk, crypto
from funds.models import PayeeAccount

CHUNK = 5_000


def current(household_ids) -> dict[int, tuple[str, str, str]]:
    ids = list(household_ids)
    out: dict[int, tuple[str, str, str]] = {}
    for start in range(0, len(ids), CHUNK):
        for hid, index, bank, masked in (PayeeAccount.objects.filter(household_id__in=ids[start:start + CHUNK],
                                                                      active=True)
                                         .values_list("household_id", "card_index", "bank_name", "card_masked")):
            out[hid] = (index, bank, masked)
    return out


def write(entries, *, actor_id: int | None) -> int:
    now = timezone.now()
    accounts = []
    for hid, person_id, payee_name, card, bank, county, township, village in entries:
        account = PayeeAccount(household_id=hid, person_id=person_id, payee_name=payee_name, bank_name=bank,
                               created_by_id=actor_id, created_at=now, county_id=county, township_id=township,
                               village_id=village)
        account.set_card(card)
        account.key_version = crypto.key_version(account.card_cipher)
        accounts.append(account)
    if not accounts:
        return 0
    household_ids = [a.household_id for a in accounts]
    for start in range(0, len(household_ids), CHUNK):
        PayeeAccount.objects.filter(household_id__in=household_ids[start:start + CHUNK], active=True).update(
            active=False, replaced_at=now)
    bulk.insert(PayeeAccount, accounts)
    return len(accounts)


PAYEES = {"current": current, "write": write}
