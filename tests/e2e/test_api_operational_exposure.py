"""What the API shows of itself (issue 13, breaks 6 and 7, and the response headers): /metrics,
/docs and /openapi.json by profile, 503 bodies without internal addresses, security headers."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from config.bootstrap import build_container
from entrypoints.api.app import create_app
from domain.sessions import SessionChannel
from entrypoints.api.request_body import RequestBody
from tests.redis_process import free_port

SECRET = "s" * 40
PASSWORD = "correct horse battery"


def _client(tmp_path: Path, **settings: Any) -> TestClient:
    container = build_container(home=tmp_path / uuid.uuid4().hex[:6], queue_backend="inline", **settings)
    return TestClient(create_app(container))


@pytest.fixture
def production(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, env="production", jwt_secret=SECRET) as client:
        yield client


def test_production_hides_metrics_and_the_api_description(production: TestClient) -> None:
    for path in ("/metrics", "/docs", "/redoc", "/openapi.json"):
        assert production.get(path).status_code == 404, path
    assert production.get("/healthz").status_code == 200


def test_production_with_docs_turned_on_and_a_metrics_token(tmp_path: Path) -> None:
    with _client(tmp_path, env="production", jwt_secret=SECRET, api_docs=True, metrics_token="m" * 24) as client:
        assert client.get("/openapi.json").status_code == 200 and client.get("/docs").status_code == 200
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        scraped = client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 24})
        assert scraped.status_code == 200 and "assistant_http_request_seconds" in scraped.text


def test_metrics_on_their_own_loopback_port(tmp_path: Path) -> None:
    port = free_port()
    with _client(tmp_path, env="production", jwt_secret=SECRET, metrics_port=port) as client:
        assert client.get("/metrics").status_code == 404
        client.get("/healthz")
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        assert scraped.status_code == 200 and 'route="/healthz"' in scraped.text


def test_development_keeps_docs_and_metrics_open(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        assert client.get("/docs").status_code == 200 and client.get("/metrics").status_code == 200


def test_every_response_carries_the_security_headers(tmp_path: Path) -> None:
    with _client(tmp_path, public_url="https://docs.example.com") as client:
        for response in (client.get("/healthz"), client.get("/api/v1/users/me"), client.get("/api/v1/nowhere")):
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert response.headers["content-security-policy"].startswith("default-src 'none'")
            assert response.headers["strict-transport-security"].startswith("max-age=")
        page = client.get("/nowhere")  # a page address: the dashboard's 404 page, with the pages' own policy
        assert page.status_code == 404 and page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self';")
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["strict-transport-security"].startswith("max-age=")
        docs = client.get("/docs")
        assert "text/html" in docs.headers["content-type"]
        policy = docs.headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in policy and "https:" not in policy and "unsafe-inline' " not in policy.split("style-src")[0]
    with _client(tmp_path) as plain:  # no https public address: no HSTS
        assert "strict-transport-security" not in plain.get("/healthz").headers


def test_a_503_says_what_is_down_without_hosts_ports_or_driver_messages(tmp_path: Path) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with _client(tmp_path, redis_url=dead, cache_backend="memory") as client:
        client.post("/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD})
        login = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD})
        assert login.status_code == 503 and login.json()["service"] == "rate limiter"  # attempts uncounted: refused
        assert "127.0.0.1" not in login.text
        container = client.app.state.container
        with container.uow() as uow:  # logged in by other means while the attempt counter is away
            ann = uow.users.get_by_email("ann@example.com")
        token = container.sessions().begin(ann, SessionChannel.PASSWORD).access_token
        auth = {"Authorization": f"Bearer {token}"}
        doc = client.post("/api/v1/documents", headers=auth,
                          files={"file": ("n.md", b"# N\n\nThe fee is 2%.", "text/markdown")}).json()
        for _ in range(100):
            if client.get(f"/api/v1/documents/{doc['id']}", headers=auth).json()["status"] == "completed":
                break
            time.sleep(0.05)
        answer = client.post(f"/api/v1/documents/{doc['id']}/query", json={"question": "What is the fee?"},
                             headers=auth)
    assert answer.status_code == 503, answer.text
    body = answer.json()
    assert body["code"] == "service_unavailable" and body["service"] == "rate limiter"
    assert "127.0.0.1" not in answer.text and dead.rsplit(":", 1)[1].split("/")[0] not in answer.text
    assert "reason" not in body and "Error" not in body["detail"]


def test_every_json_request_body_refuses_control_characters(tmp_path: Path) -> None:
    """Every route's JSON body model derives from RequestBody, so a new route cannot miss the check."""
    with _client(tmp_path) as client:
        app = client.app
        for route in app.routes:  # type: ignore[attr-defined]
            body = getattr(getattr(route, "dependant", None), "body_params", None) or []
            for param in body:
                model = param.field_info.annotation
                assert isinstance(model, type) and issubclass(model, RequestBody), (route.path, model)


def test_the_api_docs_load_only_files_this_server_serves(tmp_path: Path) -> None:
    """/docs and /redoc on a machine without internet: every script, style and icon they name is
    a path of this server, served from the package's files, and the page's policy allows no other
    origin (a browser would refuse anything else)."""
    with _client(tmp_path) as client:
        for page in ("/docs", "/redoc"):
            html = client.get(page)
            assert html.status_code == 200 and "text/html" in html.headers["content-type"]
            assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
            assert assets and all(a.startswith("/docs-assets/") for a in assets), assets
            for asset in assets:
                served = client.get(asset)
                assert served.status_code == 200 and len(served.content) > 1000, asset
            assert "http" not in html.headers["content-security-policy"]
        assert "url: '/openapi.json'" in client.get("/docs").text


def test_an_id_that_is_not_a_uuid_is_named_in_the_422(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        client.post("/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD})
        token = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD}
                            ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        refused = client.get("/api/v1/documents/42", headers=auth)
        assert refused.status_code == 422
        assert refused.json()["detail"] == "document_id must be a document id (UUID)."
        limit = client.get("/api/v1/documents?limit=0", headers=auth).json()
        assert limit["detail"].startswith("limit: ") and limit["errors"][0]["loc"] == ["query", "limit"]
