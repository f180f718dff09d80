from cases.models.entitlement import Entitlement
from cases.models.application import Application, ApplicationEvent, Meeting, Notice, Recheck
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
    "Application",
    "ApplicationEvent",
    "Meeting",
    "Notice",
    "Recheck",
    "CareStandard",
    "Standard",
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
