from cases.models.entitlement import Entitlement
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
    "Entitlement",
    "Household",
    "HouseholdQuerySet",
    "IncomeItem",
    "PaymentHold",
    "Person",
    "PersonQuerySet",
    "PropertyItem",
    "RigidExpense",
]
