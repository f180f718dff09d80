"""Every model of cases, gathered for Django and for the other apps. Each room of cases defines its own models
(`cases.<room>.models`); rooms import each other's models directly, never this module."""
from cases.dibao.models import Application, ApplicationEvent, Meeting, Notice, Recheck
from cases.entitlements.models import Entitlement, EntitlementChange
from cases.households.models import (
    Household,
    HouseholdQuerySet,
    IncomeItem,
    Person,
    PersonQuerySet,
    PropertyItem,
    RigidExpense,
)
from cases.standards.models import CareStandard, Standard
from cases.supervision.models import PaymentHold, RelativeLink
from cases.tekun.models import (
    SIX_ACTIVITIES,
    CareAgreement,
    CareVisit,
    Institution,
    Obligor,
    SelfCareAssessment,
    SelfCareLevel,
    TekunProfile,
    self_care_level,
)
from cases.temporary_aid.models import EmergencyLocationRule, ReserveFund, ReserveFundEntry, TemporaryAid

__all__ = [
    "SIX_ACTIVITIES",
    "Application",
    "ApplicationEvent",
    "CareAgreement",
    "CareStandard",
    "CareVisit",
    "EmergencyLocationRule",
    "Entitlement",
    "EntitlementChange",
    "Household",
    "HouseholdQuerySet",
    "IncomeItem",
    "Institution",
    "Meeting",
    "Notice",
    "Obligor",
    "PaymentHold",
    "Person",
    "PersonQuerySet",
    "PropertyItem",
    "Recheck",
    "ReserveFund",
    "ReserveFundEntry",
    "RelativeLink",
    "RigidExpense",
    "SelfCareAssessment",
    "SelfCareLevel",
    "Standard",
    "TekunProfile",
    "TemporaryAid",
    "self_care_level",
]
