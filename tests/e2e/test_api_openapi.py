"""/openapi.json is usable by a newcomer: every route documents its success body, its errors and
examples, and every example is a valid instance of its model."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs  # schemathesis's validator
import pytest
from starlette.testclient import TestClient

from config.bootstrap import build_container
from entrypoints.api.app import create_app

PROBLEM_JSON = "application/problem+json"
NO_ERRORS = {("get", "/healthz")}  # liveness: the process answers, or nothing does
NO_BODY_STATUSES = {"204"}


@pytest.fixture(scope="module")
def spec() -> Iterator[dict[str, Any]]:
    home = Path(tempfile.mkdtemp(prefix="assistant-openapi-"))
    container = build_container(home=home, queue_backend="inline")
    try:
        with TestClient(create_app(container)) as client:
            response = client.get("/openapi.json")
            assert response.status_code == 200
            yield response.json()
    finally:
        container.queue().shutdown()
        container.engine().dispose()
        shutil.rmtree(home, ignore_errors=True)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, operation) for path, operations in spec["paths"].items()
            for method, operation in operations.items()]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A $ref'd component, or the items of an array of one."""
    if "$ref" in schema:
        return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array" and "items" in schema:
        return _resolve(spec, schema["items"])
    return schema


def _has_example(spec: dict[str, Any], media: dict[str, Any]) -> bool:
    schema = _resolve(spec, media.get("schema", {}))
    return bool(media.get("example") or media.get("examples") or schema.get("examples") or schema.get("example"))


def test_the_spec_lists_the_routes_a_client_needs(spec: dict[str, Any]) -> None:
    paths = set(spec["paths"])
    assert {"/api/v1/auth/login", "/api/v1/documents", "/api/v1/documents/{document_id}/query", "/api/v1/usage",
            "/healthz", "/readyz"} <= paths
    assert len(_operations(spec)) >= 20


def test_every_route_documents_a_success_body_with_an_example(spec: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(spec):
        success = {status: r for status, r in operation["responses"].items() if status.startswith("2")}
        if not success:
            missing.append(f"{method.upper()} {path}: no 2xx response")
        for status, response in success.items():
            if not response.get("description"):
                missing.append(f"{method.upper()} {path} {status}: no description")
            if status in NO_BODY_STATUSES:
                continue
            content = response.get("content", {})
            binary = [m for kind, m in content.items() if kind.startswith("image/")
                      and m.get("schema", {}).get("format") == "binary"]
            if binary and "application/json" not in content:  # a picture (a thumbnail): its type says it all
                continue
            media = content.get("application/json")
            if media is None or not media.get("schema"):
                missing.append(f"{method.upper()} {path} {status}: no JSON schema")
            elif not _has_example(spec, media):
                missing.append(f"{method.upper()} {path} {status}: no example")
    assert missing == []


def test_every_route_documents_its_errors_as_problems_with_examples(spec: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(spec):
        errors = {status: r for status, r in operation["responses"].items() if status[0] in "45"}
        if (method, path) in NO_ERRORS:
            continue
        if not errors:
            missing.append(f"{method.upper()} {path}: no error responses")
        for status, response in errors.items():
            content = response.get("content", {})
            if not response.get("description") or response["description"] in ("Bad Request", "Not Found"):
                missing.append(f"{method.upper()} {path} {status}: no description of its own")
            if path.startswith("/api/"):
                if set(content) != {PROBLEM_JSON}:  # sent as problem+json, documented as such only
                    missing.append(f"{method.upper()} {path} {status}: media types {sorted(content)}")
                elif content[PROBLEM_JSON].get("schema", {}).get("$ref") != "#/components/schemas/Problem":
                    missing.append(f"{method.upper()} {path} {status}: no Problem schema")
            if content and not all(_has_example(spec, media) for media in content.values()):
                missing.append(f"{method.upper()} {path} {status}: no example")
    assert missing == []


def test_an_authenticated_route_says_how_to_authenticate(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/v1/documents"]["get"]
    assert operation.get("security"), "the lock icon of /docs"
    assert "401" in operation["responses"] and "WWW-Authenticate" in operation["responses"]["401"]["headers"]
    assert set(spec["components"]["securitySchemes"]) >= {"HTTPBearer", "APIKeyHeader"}


def test_every_json_request_body_has_an_example(spec: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(spec):
        content = operation.get("requestBody", {}).get("content", {})
        media = content.get("application/json")
        if media is not None and not _has_example(spec, media):
            missing.append(f"{method.upper()} {path}: request body without an example")
        for name, other in content.items():  # a multipart upload: each field described
            if name != "application/json":
                schema = _resolve(spec, other["schema"])
                undescribed = [f for f, s in schema.get("properties", {}).items() if not s.get("description")]
                if undescribed:
                    missing.append(f"{method.upper()} {path}: {name} fields without a description: {undescribed}")
    assert missing == []


def test_every_example_is_valid_against_its_schema(spec: dict[str, Any]) -> None:
    """A wrong example misleads more than a missing one."""
    components = spec["components"]["schemas"]
    invalid = []
    for name, schema in components.items():
        for example in schema.get("examples", []):
            standalone = {**schema, "components": spec["components"]}  # so that its $refs resolve
            errors = list(jsonschema_rs.Draft202012Validator(standalone).iter_errors(example))
            if errors:
                invalid.append(f"{name}: {errors[0].message}")
    for method, path, operation in _operations(spec):
        for status, response in operation["responses"].items():
            media = response.get("content", {}).get(PROBLEM_JSON)
            if media and "example" in media:
                problem = {**components["Problem"], "components": spec["components"]}
                if list(jsonschema_rs.Draft202012Validator(problem).iter_errors(media["example"])):
                    invalid.append(f"{method.upper()} {path} {status}: problem example")
                if media["example"]["status"] != int(status):
                    invalid.append(f"{method.upper()} {path} {status}: example of status {media['example']['status']}")
    assert invalid == []

