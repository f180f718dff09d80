"""Issue #15 item 9: schemathesis against the OpenAPI schema, as users of several roles, with real ids.

Every operation of /api/schema/ gets a bounded number of generated requests (FUZZ_EXAMPLES, default 8);
each request is sent as four demo users (township caseworker, township leader, county officer, finance)
with path ids of real objects in 何营东村 / 詹店镇 / 武陟县 (the permission harness's world). Checks: no
server error (5xx), the status code and the body match what the schema documents. Run with `-m fuzz`
(.ci/run has a step for it)."""
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import harness

pytestmark = [pytest.mark.fuzz]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
ROLES = ("zhandian_jingban", "zhandian_shenpi", "wuzhi_minzheng", "wuzhi_caizheng")
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)

# Which world object a path's {id} names, by the path's first segment.
ID_PARTS = {"applications": "application", "clues": "clue", "comparison-runs": "run", "complaints": "complaint",
            "entitlements": "entitlement", "payment-batches": "batch", "relatives": "relative",
            "spot-checks": "spotcheck", "tekun": "tekun", "temporary-aid": "aid"}


@pytest.fixture
def world(db):
    """The permission harness's world, with every object a path id may name, and a token per role."""
    from accounts import tokens

    w = harness.World(harness.demo_users())
    w.get("reserve_fund")
    w.tokens = {name: tokens.issue(w.users[name]) for name in ROLES}
    return w


def _operations() -> list[tuple[str, str]]:
    """Every (METHOD, path) of the schema, known at collection (drf-spectacular needs no database)."""
    from drf_spectacular.generators import SchemaGenerator

    doc = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, ops in doc["paths"].items() for method in ops
            if method in ("get", "post", "put", "patch", "delete")]


def _real_ids(case, world) -> None:
    params = case.path_parameters or {}
    segment = case.operation.path.split("/")[3]
    if "id" in params:
        if segment == "households":
            params["id"] = world.household.pk
        elif segment == "persons":
            params["id"] = world.person.pk
        elif segment in ID_PARTS:
            params["id"] = world.get(ID_PARTS[segment]).pk
    if "township" in params:
        params["township"] = "410823101"
    if "code" in params:
        params["code"] = "410823101200"


OPERATIONS = _operations()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_answers_every_role_as_documented(world, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        _real_ids(case, world)
        for name in ROLES:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {world.tokens[name]}"}
            case.call_and_validate(checks=CHECKS)

    run()
