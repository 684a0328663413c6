"""The front desk's API follows issue 12's one shape: every route documents its success
response (a closed schema, a PDF or a 204), and no schema of the front desk shares its
class name with another app's, since ninja keys OpenAPI components by class name and a
clash silently replaces one app's schema with the other's."""

import collections

import pytest
from pydantic import BaseModel

from postdesk.api import api
from tests.web.test_openapi_responses import _documented

pytestmark = pytest.mark.django_db

FRONTDESK = "postdesk.frontdesk."


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_frontdesk_route_documents_its_success_response(page_as):
    document = page_as("reception").get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    frontdesk = {
        route: op for route, op in _operations(document) if "frontdesk" in op.get("tags", [])
    }

    # The app's routes are all there: the board, visitors, roll call, messages, traffic, accidents,
    # catering, supplies.
    assert "GET /api/v1/runner-tasks" in frontdesk
    assert "GET /api/v1/frontdesk/roll-call" in frontdesk
    assert len(frontdesk) == 44
    assert [r for r, op in frontdesk.items() if not _documented(op, components)] == []


def test_the_pdfs_are_documented_as_pdfs(page_as):
    document = page_as("reception").get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/frontdesk/roll-call.pdf",
        "/api/v1/frontdesk/visits/{visit_id}/badge.pdf",
    ):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert content == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def _schemas(model, seen):
    """Every pydantic model reachable from `model` (a schema, list[...], X | None)."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        if model in seen:
            return
        seen.add(model)
        for field in model.model_fields.values():
            _schemas(field.annotation, seen)
    for arg in getattr(model, "__args__", ()):
        _schemas(arg, seen)


def test_no_frontdesk_schema_shares_its_name_with_another_apps():
    seen = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *(operation.response_models or {}).values()]:
                    _schemas(model, seen)
    by_name = collections.defaultdict(set)
    for model in seen:
        by_name[model.__name__].add(model.__module__)
    ours = {
        name for name, modules in by_name.items() if any(m.startswith(FRONTDESK) for m in modules)
    }

    assert {
        "RunnerTaskOut",
        "RollCallOut",
        "VisitOut",
        "DeskMessageOut",
        "TrafficDeliveryOut",
    } <= ours
    assert {name: sorted(by_name[name]) for name in ours if len(by_name[name]) > 1} == {}
