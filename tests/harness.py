"""The permission harness: every page and API endpoint, run as anonymous and as every demo user.

§0 scope rules it proves for each registered endpoint:
- anonymous: pages redirect (302) to the login page, the API answers 401/403;
- a user whose role may take the endpoint's action and whose region holds the test object
  (何营东村 410823101200, 詹店镇, 武陟县, or the city) gets `ok`;
- the same role outside that region gets 404 — never 403 — so nobody learns the object exists;
- a role that may not take the action gets 404 (or 403 where it may read the object but not change it);
- list endpoints (`marker=...`) show the test household to users in scope and hide it from the rest.

`tests/permissions/test_harness.py` runs the matrix, and fails when a route in the URLconf is missing
from REGISTRY (or EXEMPT), so a new view is tested by registering it.

How to register a view (one line in REGISTRY below):

    page("funds:batch_detail", lambda w: f"/funds/batches/{w.get('batch').pk}/", A.PAYMENT_VIEW),
    api("batch-list", "/api/v1/batches/", A.PAYMENT_VIEW, scoped=False),
    api("batch-detail", lambda w: f"/api/v1/batches/{w.get('batch').pk}/", A.PAYMENT_PREPARE,
        method="patch", data={"note": "x"}, read_action=A.PAYMENT_VIEW),

- `name`: the URL name as the URLconf knows it (namespaced for pages, router basename-suffix for API).
- `url`: a string or `lambda w: ...` over the World (`w.household`, `w.person`, `w.income`, or
  `w.get("thing")` for anything registered with `@part("thing")`, built only when a test needs it,
  always inside 何营东村 410823101200 unless the builder says otherwise).
- `action`: the scope.Action (or tuple: any of them) that lets a role in; None = any signed-in user.
- `method`/`data`: request to send (data may be a callable over the World); API data goes as JSON.
- `ok`: status for an allowed user in scope (302 for a POST that redirects, 201 for a create).
- `scoped=False`: the URL names no object (lists, create forms): users out of the region get `ok`
  (or `out_of_scope`). `marker=MARKER_HEAD` additionally checks that text is present exactly when
  the user's region holds the test household (and absent otherwise).
- `denied`: status for a role that may not take the action (default 404, like out of scope).
- `read_action`: roles with this action (but not `action`) get `read_denied` (403 by default) in
  scope and 404 out of scope — readers such as the county reviewer and the city administrator.
- `region`: where the object sits, default 何营东村; e.g. region="410823" for a county-level payment batch
  (then 詹店镇 users count as outside it).
- `expect={"username": status}`: a deliberate exception for one demo user; say why in `note`.
- `public=True`: no login required (login page, token endpoint): `anonymous` is the expected status.

Each (endpoint, user) pair runs in its own rolled-back transaction, so a POST may change or delete data.
Add a world part for a new kind of object in this file (objects in 何营东村 / 武陟县, built through the
services where one exists so the audit trail and invariants hold):

    @part("batch")
    def _batch(w):
        return PaymentBatch.objects.create(county_id="410823", ...)
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import ROLE_LEVEL
from accounts.scope import Action as A
from accounts.scope import can
from core.models import Region

VILLAGE = "410823101200"  # 何营东村, 詹店镇, 武陟县
MARKER_HEAD = "欧阳测户"  # the world household's head: appears in lists only for users in scope
MARKER_MEMBER = "欧阳测女"

# ---------------------------------------------------------------------------------------------- the world

_PARTS: dict[str, Callable] = {}


def part(name: str):
    """Register a lazily built object of the world (see module docstring)."""

    def deco(fn):
        _PARTS[name] = fn
        return fn

    return deco


_WORLD_IDS: dict[str, str] = {}


class World:
    """Objects in 何营东村 that endpoint URLs point at; built by the township caseworker through services."""

    def __init__(self, users: dict):
        import datetime as dt

        from cases.households import services
        from tests.factories import make_id

        self.users = users
        self._built: dict = {}
        # Each test rolls its world back, so every world reuses the same two numbers (make_id has only 500
        # per birth date and process, fewer than the harness's cases per worker).
        if not _WORLD_IDS:
            _WORLD_IDS.update(head=make_id("410823", dt.date(1968, 3, 9), "M"),
                              member=make_id("410823", dt.date(1995, 7, 21), "F"))
        self.head_id, self.member_id = _WORLD_IDS["head"], _WORLD_IDS["member"]
        self.household = services.household_create(
            actor=users["zhandian_jingban"], village=Region.objects.get(code=VILLAGE), address="何营东村三组8号",
            hukou_type="rural", phone="13903910000",
            members=[services.MemberData(name=MARKER_HEAD, id_number=self.head_id, relationship="head"),
                     services.MemberData(name=MARKER_MEMBER, id_number=self.member_id, relationship="child")],
        )
        self.head = self.household.members.get(relationship="head")
        self.person = self.household.members.get(relationship="child")
        self.income = _income(self)

    def get(self, name: str):
        if name not in self._built:
            self._built[name] = _PARTS[name](self)
        return self._built[name]


def _income(w: World):
    from decimal import Decimal

    from cases.models import IncomeItem

    return IncomeItem.objects.create(household=w.household, person=w.person, kind=IncomeItem.Kind.WAGES,
                                     description="务工", amount_12m=Decimal("12000.00"))


# ------------------------------------------------------------------------------------------- endpoints

@dataclass(frozen=True)
class Endpoint:
    name: str
    url: str | Callable
    action: str | tuple | None = None
    method: str = "get"
    data: dict | Callable | None = None
    is_api: bool = False
    ok: int = 200
    scoped: bool = True
    marker: str = ""
    denied: int = 404
    read_action: str | None = None
    read_denied: int = 403
    out_of_scope: int | None = None
    public: bool = False
    anonymous: int | None = None
    region: str = VILLAGE  # where the endpoint's object sits (a county code for county-level rows)
    expect: dict = field(default_factory=dict, compare=False)  # {username: status} for a deliberate exception
    note: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        return f"{self.name}:{self.method.upper()}"

    def build_url(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def build_data(self, world: World):
        return self.data(world) if callable(self.data) else self.data


def page(name, url, action=None, **kw) -> Endpoint:
    return Endpoint(name, url, action, **kw)


def api(name, url, action=None, **kw) -> Endpoint:
    return Endpoint(name, url, action, is_api=True, **kw)


def _household_payload(w: World) -> dict:
    import datetime as dt

    from tests.factories import make_id

    return {"village": VILLAGE, "address": "何营东村五组1号", "hukou_type": "rural",
            "members": [{"name": "新登记", "id_number": make_id("410823", dt.date(1980, 1, 2), "M"),
                         "relationship": "head"}]}


def _person_form(w: World) -> dict:
    import datetime as dt

    from tests.factories import make_id

    return {"name": "新成员", "id_number": make_id("410823", dt.date(2001, 2, 3), "F"), "relationship": "child",
            "work_capacity": "full", "employment": "student", "school": "college"}


REGISTRY: list[Endpoint] = [
    # jiuzhu / accounts / core
    page("home", "/", scoped=False),
    page("login", "/accounts/login/", public=True, anonymous=200, ok=302, scoped=False, note="signed-in users are sent home"),
    page("logout", "/accounts/logout/", method="post", public=True, anonymous=302, ok=302, scoped=False),
    page("password_change", "/accounts/password/", scoped=False),
    page("audit_trail", lambda w: f"/audit-trail/?object_type=cases.household&object_id={w.household.pk}",
         (A.AUDIT_VIEW, A.AUDIT_VIEW_ALL), scoped=False, marker=MARKER_HEAD),
    # cases pages
    page("cases:household_list", "/households/", A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    page("cases:household_create", "/households/new/", A.CASE_CHANGE, scoped=False),
    page("cases:household_detail", lambda w: f"/households/{w.household.pk}/", A.CASE_VIEW),
    page("cases:household_edit", lambda w: f"/households/{w.household.pk}/edit/", A.CASE_CHANGE),
    page("cases:person_add", lambda w: f"/households/{w.household.pk}/members/new/", A.CASE_CHANGE),
    page("cases:person_add", lambda w: f"/households/{w.household.pk}/members/new/", A.CASE_CHANGE,
         method="post", data=_person_form, ok=302),
    page("cases:item_add", lambda w: f"/households/{w.household.pk}/property/new/", A.CASE_CHANGE,
         method="post", data={"property-kind": "house", "property-quantity": "1", "property-value": "50000"},
         ok=302),
    page("cases:item_remove", lambda w: f"/households/{w.household.pk}/income/{w.income.pk}/delete/",
         A.CASE_CHANGE, method="post", data={"reason": "重复录入"}, ok=302),
    page("cases:person_edit", lambda w: f"/persons/{w.person.pk}/edit/", A.CASE_CHANGE),
    page("cases:person_remove", lambda w: f"/persons/{w.person.pk}/remove/", A.CASE_CHANGE, method="post",
         data={"reason": "已迁出"}, ok=302),
    page("cases:person_reveal", lambda w: f"/persons/{w.person.pk}/reveal/", A.CASE_VIEW_PII, method="post",
         data={"reason": "入户核对"}),
    # API
    api("api-root", "/api/v1/", scoped=False),
    api("api_token", "/api/v1/auth/token/", method="post", data={"username": "nobody", "password": "x"},
        public=True, anonymous=401, ok=401, scoped=False, note="wrong credentials are refused whoever asks"),
    api("api_me", "/api/v1/me/", scoped=False),
    api("region-list", "/api/v1/regions/?parent=410823101", scoped=False),
    api("region-detail", f"/api/v1/regions/{VILLAGE}/"),
    api("household-list", "/api/v1/households/", A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    api("household-list", "/api/v1/households/", A.CASE_CHANGE, method="post", data=_household_payload, ok=201,
        scoped=False, out_of_scope=400, denied=403, read_action=A.CASE_VIEW,
        note="the village is outside the choices of a user elsewhere"),
    api("household-detail", lambda w: f"/api/v1/households/{w.household.pk}/", A.CASE_VIEW),
    api("household-detail", lambda w: f"/api/v1/households/{w.household.pk}/", A.CASE_CHANGE, method="patch",
        data={"address": "何营东村三组9号"}, read_action=A.CASE_VIEW),
    api("household-detail", lambda w: f"/api/v1/households/{w.household.pk}/", A.CASE_CHANGE, method="delete",
        ok=403, read_action=A.CASE_VIEW, note="household files are never deleted"),
    api("person-list", lambda w: f"/api/v1/persons/?q={MARKER_MEMBER}", A.CASE_VIEW, scoped=False,
        marker=MARKER_MEMBER),
    api("person-detail", lambda w: f"/api/v1/persons/{w.person.pk}/", A.CASE_VIEW),
]


def _load_area_registries() -> None:
    """Each area keeps its entries (and its world parts) in tests/harness_areas/<area>.py, which defines
    `ENTRIES = [page(...), api(...), ...]` and may add `EXEMPT = {...}`, so areas are registered
    independently of each other."""
    import importlib
    import pkgutil

    import tests.harness_areas as areas

    for info in sorted(pkgutil.iter_modules(areas.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"tests.harness_areas.{info.name}")
        REGISTRY.extend(getattr(module, "ENTRIES", []))
        EXEMPT.update(getattr(module, "EXEMPT", {}))


# Routes the harness does not run, with the reason.
EXEMPT = {
    "schema": "the OpenAPI document is public metadata (tests/jiuzhu/test_openapi.py)",
    "api_docs": "Swagger UI over the schema (tests/jiuzhu/test_openapi.py)",
}
_load_area_registries()

# ------------------------------------------------------------------------------------------ expectations


def in_region(user, village: str = VILLAGE) -> bool:
    return ROLE_LEVEL[user.role] == Region.Level.CITY or village.startswith(user.region_id)


def _may(user, action) -> bool:
    if action is None:
        return True
    actions = action if isinstance(action, tuple) else (action,)
    return any(can(user, a) for a in actions)


def expected_status(ep: Endpoint, user) -> int:
    """The status a user (None = anonymous) must get from `ep`."""
    if user is not None and user.username in ep.expect:
        return ep.expect[user.username]
    if user is None:
        if ep.public:
            return ep.anonymous
        return ep.anonymous or (401 if ep.is_api else 302)
    inside = in_region(user, ep.region)
    if _may(user, ep.action):
        if inside:
            return ep.ok
        if ep.out_of_scope is not None:
            return ep.out_of_scope
        return 404 if ep.scoped else ep.ok
    if ep.read_action and can(user, ep.read_action):
        return ep.read_denied if (inside or not ep.scoped) else 404
    return ep.denied


def expect_marker(ep: Endpoint, user) -> bool | None:
    """For list endpoints: whether the test object's marker shows (None: not checked)."""
    if not ep.marker or user is None or expected_status(ep, user) != 200:
        return None
    return in_region(user, ep.region)


def request(client, ep: Endpoint, world: World):
    url = ep.build_url(world)
    data = ep.build_data(world)
    call = getattr(client, ep.method)
    if ep.is_api and ep.method in ("post", "put", "patch"):
        return call(url, data=data or {}, content_type="application/json")
    if ep.method == "get":
        return call(url, data) if data else call(url)
    return call(url, data or {})


def demo_users(stream=None) -> dict:
    from accounts.models import User
    from demo import users as demo

    demo.seed(stream or io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}
