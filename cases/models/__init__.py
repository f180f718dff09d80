from cases.models.entitlement import Entitlement
from cases.models.relatives import RelativeLink
from cases.models.application import Application, ApplicationEvent, Meeting, Notice, Recheck
from cases.models.standard import CareStandard, Standard
from cases.models.tekun import (
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
from cases.models.temporary_aid import EmergencyLocationRule, ReserveFund, ReserveFundEntry, TemporaryAid
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
    "SIX_ACTIVITIES",
    "CareAgreement",
    "CareVisit",
    "EmergencyLocationRule",
    "Institution",
    "Obligor",
    "ReserveFund",
    "ReserveFundEntry",
    "SelfCareAssessment",
    "SelfCareLevel",
    "TekunProfile",
    "TemporaryAid",
    "self_care_level",
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
    "RelativeLink",
    "PropertyItem",
    "RigidExpense",
]
