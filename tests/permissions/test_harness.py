"""§0 scope, run over every registered page and API endpoint (see tests/harness.py for how to register)."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from demo.users import DEMO_USERS
from tests import harness

USERNAMES = [None] + [u[0] for u in DEMO_USERS]
CASES = [(ep, name) for ep in harness.REGISTRY for name in USERNAMES]


def _route_names(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _route_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}" if p.name else f"<unnamed {p.pattern}>", str(p.pattern)


def test_every_route_is_registered_in_the_harness():
    """§12 harness: a route missing from tests/harness.py REGISTRY (or EXEMPT) fails here, so every new
    page or API endpoint gets the anonymous / in-scope / out-of-scope / role checks by being registered."""
    registered = {ep.name for ep in harness.REGISTRY} | set(harness.EXEMPT)
    missing = sorted({name for name, pattern in _route_names(get_resolver().url_patterns)
                      if not pattern.startswith("static") and name not in registered})
    assert not missing, f"register these routes in tests/harness.py REGISTRY: {missing}"


def test_registry_names_exist():
    """A registry entry for a route that no longer exists is stale."""
    names = {name for name, _ in _route_names(get_resolver().url_patterns)}
    assert not sorted({ep.name for ep in harness.REGISTRY} - names)


@pytest.fixture
def world(db):
    users = harness.demo_users()
    return harness.World(users)


@pytest.mark.parametrize(("ep", "username"), CASES,
                         ids=[f"{ep.label}-{name or 'anonymous'}" for ep, name in CASES])
def test_endpoint_answers_each_user_as_scope_says(client, world, ep, username):
    """§0: anonymous → login (302) / 401; in scope → ok; out of scope → 404 never 403; role not allowed → 404
    (403 only for a reader refused a write it can see)."""
    user = world.users[username] if username else None
    if user is not None:
        client.force_login(user)
    response = harness.request(client, ep, world)
    want = harness.expected_status(ep, user)
    assert response.status_code == want, (
        f"{ep.label} as {username or 'anonymous'}: got {response.status_code}, want {want}")
    if user is None and not ep.public and not ep.is_api:
        assert response["Location"].startswith("/accounts/login/")
    marker = harness.expect_marker(ep, user)
    if marker is not None:
        assert (ep.marker in response.content.decode()) is marker, (
            f"{ep.label} as {username}: marker {'missing' if marker else 'leaked'}")
