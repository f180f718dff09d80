"""Supervision reads, always through the user's scope."""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from accounts.scope import Action, can, get_in_scope_or_404
from audit.models import Complaint, StaffMember
from cases.models import Application, Entitlement, Person, RelativeLink


def staff_list(*, user, q: str = ""):
    qs = StaffMember.objects.restrict(user, Action.SUPERVISION_VIEW).annotate(relative_count=Count("relatives"))
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(workplace__contains=q))
    return qs.select_related("county", "township", "village", "user").order_by("-active", "last_verified_at", "name")


def staff_detail(*, user, pk: int) -> StaffMember:
    return get_in_scope_or_404(StaffMember.objects.prefetch_related("relatives"), user, Action.SUPERVISION_VIEW,
                               pk=pk)


def relative_matches(*, user):
    """Registered close relatives who are members of a registered household, with that household's open
    entitlements: the cases listed separately (§12), in the user's county.

    The households decide the reach; the registry is matched city-wide, so the relative of another
    county's staff member is listed where the case is (where the nightly alert for it goes, too)."""
    if not can(user, Action.SUPERVISION_VIEW):
        return []
    links = RelativeLink.objects.all()
    persons = (Person.objects.restrict(user, Action.CASE_VIEW)
               .filter(id_index__in=links.values("id_index"))
               .select_related("household", "township", "village"))
    rows = []
    link_map: dict[str, list] = {}
    for link in links.filter(id_index__in=[p.id_index for p in persons]):
        link_map.setdefault(link.id_index, []).append(link)
    ents: dict[int, list] = {}
    for e in Entitlement.objects.open().filter(household_id__in=[p.household_id for p in persons]):
        ents.setdefault(e.household_id, []).append(e)
    apps: dict[int, list] = {}
    for a in Application.objects.restrict(user, Action.CASE_VIEW).filter(
            household_id__in=[p.household_id for p in persons]).order_by("-accepted_on"):
        apps.setdefault(a.household_id, []).append(a)
    for p in persons:
        rows.append({"person": p, "links": link_map.get(p.id_index, []), "entitlements": ents.get(p.household_id, []),
                     "applications": apps.get(p.household_id, [])})
    return rows


def complaint_action(user) -> str:
    return Action.COMPLAINT_HANDLE if can(user, Action.COMPLAINT_HANDLE) else Action.SUPERVISION_VIEW


def complaint_list(*, user, status: str = "", only_overdue: bool = False, only_repeat: bool = False):
    qs = Complaint.objects.restrict(user, complaint_action(user)).select_related("township", "household")
    if status == "open":
        qs = qs.exclude(status__in=[Complaint.Status.CLOSED, Complaint.Status.TRANSFERRED])
    elif status:
        qs = qs.filter(status=status)
    if only_overdue:
        qs = qs.exclude(status__in=[Complaint.Status.CLOSED, Complaint.Status.TRANSFERRED]).filter(
            due_on__lt=timezone.localdate())
    if only_repeat:
        qs = qs.filter(is_repeat=True)
    return qs.order_by("-received_on", "-id")


def complaint_detail(*, user, pk: int) -> Complaint:
    return get_in_scope_or_404(Complaint.objects.select_related("township", "village", "household", "county")
                               .prefetch_related("steps__actor"), user, complaint_action(user), pk=pk)
