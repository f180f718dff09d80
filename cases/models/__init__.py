from cases.models.entitlement import Entitlement
from cases.models.relatives import RelativeLink
from cases.models.standard import CareStandard, Standard
from cases.models.household import (
    Household,
    HouseholdQuerySet,
    IncomeItem,
    PaymentHold,
    Person,
    PersonQuerySet,
    PropertyItem,
    RigidExpense,
)

__all__ = [
    "CareStandard",
    "Standard",
    "Entitlement",
    "Household",
    "HouseholdQuerySet",
    "IncomeItem",
    "PaymentHold",
    "Person",
    "PersonQuerySet",
    "RelativeLink",
    "PropertyItem",
    "RigidExpense",
]
