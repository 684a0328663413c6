"""Every route of /api/v1/openapi.json describes its success response (issue 12 item 3),
but the named hot paths, whose bulk rows go from values_list() straight to orjson."""

import pytest

pytestmark = pytest.mark.django_db

# Route -> why it answers without a response schema. Keep this list short and honest:
# the test fails when a route named here gains a schema.
HOT_PATHS = {
    "GET /api/v1/board": (
        "the board: thousands of allocation rows from values_list() to orjson, measured "
        "in bench/RESULTS.md; validating them would cost more than the query"
    ),
    "GET /api/v1/availability": (
        "availability: every free resource and span for a window, set-based rows to "
        "orjson like the board, measured with it"
    ),
}

# The media types a file route may document instead of JSON.
FILE_TYPES = {
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _described(schema: dict, components: dict) -> bool:
    """A schema that says what the body holds: a named schema, a list of them, or an
    object with properties; not a bare `{"type": "object"}` (a `dict` response)."""
    if "$ref" in schema:
        return _described(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if schema.get("type") == "array":
        return _described(schema.get("items", {}), components)
    return bool(schema.get("properties")) and schema.get("additionalProperties") is False


def _documented(operation: dict, components: dict) -> bool:
    for code, response in operation.get("responses", {}).items():
        if not str(code).startswith("2"):
            continue
        if str(code) == "204":
            return True
        content = response.get("content", {})
        json_body = content.get("application/json", {}).get("schema")
        if json_body is not None and _described(json_body, components):
            return True
        if any(t in FILE_TYPES and c.get("schema") for t, c in content.items()):
            return True
    return False


def test_every_route_but_the_hot_paths_has_a_2xx_response_schema(page_as):
    document = page_as("runner").get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    undocumented = sorted(
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if not _documented(operation, components)
    )

    assert undocumented == sorted(HOT_PATHS)


def test_a_bare_dict_response_does_not_count_as_a_schema():
    components = {"Thing": {"type": "object", "properties": {"id": {}}}}

    assert not _described({"type": "object", "additionalProperties": True}, {})
    assert not _described({"type": "array", "items": {"type": "object"}}, {})
    # A schema that lets undeclared keys through does not describe the body either.
    assert not _described({"$ref": "#/components/schemas/Thing"}, components)
    closed = {"Thing": {**components["Thing"], "additionalProperties": False}}
    assert _described({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}, closed)
