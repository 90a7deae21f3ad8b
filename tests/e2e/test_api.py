"""The API over real HTTP: `assistant serve` in a subprocess, httpx as the client."""

from __future__ import annotations

import base64
import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from application.use_cases.upload_document import UploadDocumentCommand
from config.bootstrap import build_container, local_user
from tests.e2e.api_server import PROBLEM, Server, free_port, healthy, run_server, wait_processed
from tests.e2e.conftest import ASSISTANT, NOTES, clean_env, wait_until


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(tmp_path_factory.mktemp("api"),
                          {"ASSISTANT_TIERS": json.dumps({"free": {"max_file_bytes": 64 * 1024}})})


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    client = server.register()
    yield client
    client.close()


def _upload(api: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return api.post("/api/v1/documents", files={"file": (name, data, "application/octet-stream")})


def test_health_docs_and_request_id(server: Server) -> None:
    with server.client() as anonymous:
        health = anonymous.get("/healthz", headers={"X-Request-ID": "abc-123"})
        assert health.json() == {"status": "ok"} and health.headers["x-request-id"] == "abc-123"
        forged = "forged id <script>"
        assert anonymous.get("/healthz", headers={"X-Request-ID": forged}).headers["x-request-id"] != forged
        assert anonymous.get("/docs").status_code == 200
        paths = anonymous.get("/openapi.json").json()["paths"]
    assert {"/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/documents/{document_id}/query",
            "/api/v1/auth/login", "/api/v1/users/me"} <= set(paths)


def test_upload_list_get_and_ask(api: httpx.Client) -> None:
    uploaded = _upload(api, "notes.md", NOTES.encode())
    assert uploaded.status_code == 202, uploaded.text
    doc_id = uploaded.json()["id"]
    assert wait_processed(api, doc_id)["status"] == "completed"
    assert doc_id in [d["id"] for d in api.get("/api/v1/documents").json()["items"]]

    answer = api.post(f"/api/v1/documents/{doc_id}/query", json={"question": "When does the Berlin office open?"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "9 am" in body["answer"]
    assert body["citations"] and 'section "Office"' in body["citations"][0]["label"]
    assert body["cached"] is False and body["model"] == "offline-extractive"
    again = api.post(f"/api/v1/documents/{doc_id}/query", json={"question": "when does the berlin office open"})
    assert again.json()["cached"] is True and again.json()["answer"] == body["answer"]
    russian = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}  # citation labels in the language asked for
    in_russian = api.post(f"/api/v1/documents/{doc_id}/query", json={"question": "When does the Berlin office open?"},
                          headers=russian).json()
    assert "раздел «Office»" in in_russian["citations"][0]["label"]
    assert in_russian["citations"][0]["locators"] == body["citations"][0]["locators"]
    assert "раздел «Office»" in api.get("/api/v1/conversations", headers=russian).json()[0]["citations"][0]["label"]
    assert 'section "Office"' in api.get("/api/v1/conversations", headers={"Accept-Language": "de"}).json()[0][
        "citations"][0]["label"]
    chunk = api.get(f"/api/v1/documents/{doc_id}/chunks", headers=russian).json()["items"][0]
    assert chunk["label"].startswith("раздел «")

    duplicate = _upload(api, "copy.md", NOTES.encode())
    assert duplicate.json()["duplicate"] is True and duplicate.json()["id"] == doc_id


def test_errors_are_problem_details(api: httpx.Client) -> None:
    missing = api.get(f"/api/v1/documents/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert missing.json()["code"] == "document_not_found"

    empty = _upload(api, "empty.txt", b"")
    assert empty.status_code == 422 and empty.json()["code"] == "file_empty"
    binary = _upload(api, "x.bin", bytes(range(256)) * 4)
    assert binary.status_code == 415 and binary.json()["code"] == "unsupported_file_type"
    too_big = _upload(api, "big.txt", b"word " * 20_000)
    assert too_big.status_code == 413 and too_big.json()["code"] == "file_too_large"

    assert api.get("/api/v1/documents/not-a-uuid").status_code == 422
    assert api.get("/api/v1/documents", params={"cursor": "%%%"}).json()["code"] == "invalid_input"
    for forged in (f"2026-01-01T00:00:00|{uuid.uuid4()}", "2026-01-01T00:00:00+00:00|not-a-uuid", "no separator"):
        response = api.get("/api/v1/documents", params={"cursor": base64.urlsafe_b64encode(forged.encode()).decode()})
        assert response.status_code == 422 and response.json()["code"] == "invalid_input", forged
    no_question = api.post(f"/api/v1/documents/{uuid.uuid4()}/query", json={})
    assert no_question.status_code == 422 and no_question.headers["content-type"] == PROBLEM
    for response in (missing, empty, binary, too_big, no_question):
        assert "Traceback" not in response.text


def test_another_users_document_is_not_found_on_every_route(server: Server, api: httpx.Client) -> None:
    doc_id = _upload(api, "mine.txt", b"Private numbers: 42 and 7.").json()["id"]
    wait_processed(api, doc_id)
    with server.register() as intruder:
        assert intruder.get(f"/api/v1/documents/{doc_id}").status_code == 404
        assert intruder.post(f"/api/v1/documents/{doc_id}/query", json={"question": "numbers?"}).status_code == 404
        assert doc_id not in [d["id"] for d in intruder.get("/api/v1/documents").json()["items"]]
    assert api.get(f"/api/v1/documents/{doc_id}").status_code == 200


@pytest.mark.parametrize("route", ["/api/v1/documents", "/api/v1/users/me", "/api/v1/usage"])
def test_requests_without_a_valid_token_get_401(server: Server, route: str) -> None:
    import jwt

    now = int(time.time())
    secret = server.jwt_secret
    claims = {"sub": str(uuid.uuid4()), "typ": "access", "iss": "ai-business-assistant", "iat": now, "exp": now + 60}
    good_user = server.register()
    valid = good_user.tokens["access_token"]  # type: ignore[attr-defined]
    header, payload, signature = valid.split(".")
    tampered = ".".join([header, payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1], signature])
    unsigned = jwt.encode({**claims, "sub": good_user.get("/api/v1/users/me").json()["id"]}, None, algorithm="none")
    wrong_algorithm = jwt.encode(claims, secret, algorithm="HS512")
    expired = jwt.encode({**claims, "iat": now - 120, "exp": now - 60}, secret, algorithm="HS256")
    refresh_as_access = good_user.tokens["refresh_token"]  # type: ignore[attr-defined]
    unknown_user = jwt.encode(claims, secret, algorithm="HS256")  # well signed, for no account
    cases = {None: "invalid_credentials", "garbage": "invalid_credentials", tampered: "invalid_credentials",
             unsigned: "invalid_credentials", wrong_algorithm: "invalid_credentials", expired: "token_expired",
             refresh_as_access: "invalid_credentials", unknown_user: "invalid_credentials"}
    for token, code in cases.items():
        with server.client(token) as client:
            response = client.get(route)
        assert response.status_code == 401, (token, response.text)
        assert response.json()["code"] == code and response.headers["www-authenticate"].startswith("Bearer")
    assert good_user.get(route).status_code == 200


def test_login_refresh_and_me(server: Server) -> None:
    client = server.register("Carol@Example.com")
    me = client.get("/api/v1/users/me").json()
    assert me["email"] == "carol@example.com" and me["tier"] == "free" and me["role"] == "user"
    with server.client() as anonymous:
        wrong = anonymous.post("/api/v1/auth/login", json={"email": "carol@example.com", "password": "nope nope"})
        assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
        taken = anonymous.post("/api/v1/auth/register", json={"email": "carol@example.com", "password": "x" * 12})
        assert taken.status_code == 409 and taken.json()["code"] == "email_taken"
        fresh = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": client.tokens["refresh_token"]})  # type: ignore[attr-defined]
        assert fresh.status_code == 200
        access_as_refresh = anonymous.post("/api/v1/auth/refresh",
                                           json={"refresh_token": client.tokens["access_token"]})  # type: ignore[attr-defined]
        assert access_as_refresh.status_code == 401
    with server.client(fresh.json()["access_token"]) as refreshed:
        assert refreshed.get("/api/v1/users/me").json()["id"] == me["id"]


def test_admin_routes_and_a_banned_user(server: Server) -> None:
    server.cli("users", "create", "root@example.com", "--password", "admin password", "--admin")
    with server.client() as anonymous:
        tokens = anonymous.post("/api/v1/auth/login", json={"email": "root@example.com",
                                                            "password": "admin password"}).json()
    admin = server.client(tokens["access_token"])
    dave = server.register("dave@example.com")
    dave_id = dave.get("/api/v1/users/me").json()["id"]

    assert dave.get("/api/v1/users").status_code == 403
    assert dave.put(f"/api/v1/users/{dave_id}/tier", json={"tier": "enterprise"}).json()["code"] == "permission_denied"
    assert dave_id in [u["id"] for u in admin.get("/api/v1/users").json()]
    assert [u["id"] for u in admin.get("/api/v1/users", params={"email": "DAVE@"}).json()] == [dave_id]
    assert admin.put(f"/api/v1/users/{dave_id}/tier", json={"tier": "premium"}).json()["tier"] == "premium"
    nobody = uuid.uuid4()  # a missing target is a 404, not the admin's token called invalid
    for response in (admin.put(f"/api/v1/users/{nobody}/tier", json={"tier": "premium"}),
                     admin.post(f"/api/v1/users/{nobody}/ban"), admin.post(f"/api/v1/users/{nobody}/unban")):
        assert response.status_code == 404 and response.json()["code"] == "user_not_found", response.request.url

    assert admin.post(f"/api/v1/users/{dave_id}/ban").json()["status"] == "banned"
    some_id = "5f0c2d9e-8b1a-4f3e-a6d2-7c4b1e9f0a33"
    question = {"question": "Anything?"}
    for response in (dave.get("/api/v1/users/me"), dave.get("/api/v1/documents"),
                     _upload(dave, "a.txt", b"some text"), dave.get(f"/api/v1/documents/{some_id}"),
                     dave.get(f"/api/v1/documents/{some_id}/chunks"), dave.delete(f"/api/v1/documents/{some_id}"),
                     dave.post(f"/api/v1/documents/{some_id}/query", json=question),
                     dave.post(f"/api/v1/documents/{some_id}/query?stream=true", json=question),
                     dave.post("/api/v1/query", json=question), dave.get("/api/v1/conversations"),
                     dave.get("/api/v1/usage"), dave.get("/api/v1/analytics"), dave.get("/api/v1/api-keys")):
        assert response.status_code == 403 and response.json()["code"] == "user_banned", response.request.url
    with server.client() as anonymous:
        login = anonymous.post("/api/v1/auth/login", json={"email": "dave@example.com",
                                                           "password": "correct horse battery"})
        assert login.status_code == 403 and login.json()["code"] == "user_banned"
    assert admin.post(f"/api/v1/users/{dave_id}/unban").json()["status"] == "active"
    assert dave.get("/api/v1/users/me").status_code == 200
    admin.close()
    dave.close()


def test_closed_registration_refuses_self_service(tmp_path: Path) -> None:
    for server in run_server(tmp_path, {"ASSISTANT_REGISTRATION": "closed"}):
        with server.client() as anonymous:
            response = anonymous.post("/api/v1/auth/register", json={"email": "x@example.com", "password": "x" * 10})
        assert response.status_code == 403 and response.json()["code"] == "registration_closed"


def test_documents_left_pending_by_a_stopped_server_are_processed_at_the_next_start(tmp_path: Path) -> None:
    """A document recorded but never processed (the process died first) is not lost."""
    env = clean_env(tmp_path)
    container = build_container(home=Path(env["ASSISTANT_HOME"]), queue_backend="inline", inline_workers=1)
    user = local_user(container)
    container.queue().shutdown()  # the process "dies" before the job runs: uploads stay recorded as pending
    document = container.upload_document()(UploadDocumentCommand(
        user_id=user.id, filename="notes.md", data=NOTES.encode())).document
    assert container.get_document()(user.id, document.id).status.value == "pending"
    container.engine().dispose()

    port = free_port()
    process = subprocess.Popen([str(ASSISTANT), "serve", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert healthy(httpx.Client(base_url=f"http://127.0.0.1:{port}"))
        recovered = build_container(home=Path(env["ASSISTANT_HOME"])).get_document()
        assert wait_until(lambda: recovered(user.id, document.id).status.value == "completed", timeout=10)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_streamed_answer_is_server_sent_events(api: httpx.Client) -> None:
    from httpx_sse import connect_sse

    doc_id = _upload(api, "stream.md", b"# Terms\n\nDelivery takes five business days from the order.").json()["id"]
    wait_processed(api, doc_id)
    with connect_sse(api, "POST", f"/api/v1/documents/{doc_id}/query", params={"stream": "true"},
                     json={"question": "How long does delivery take?"}) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        events = [(e.event, e.json()) for e in source.iter_sse()]
    deltas = "".join(data["text"] for name, data in events if name == "delta")
    name, final = events[-1]
    assert name == "answer" and [n for n, _ in events[:-1]] == ["delta"] * (len(events) - 1)
    assert deltas == final["answer"] and "five business days" in final["answer"] and final["citations"]
    with connect_sse(api, "POST", f"/api/v1/documents/{doc_id}/query", params={"stream": "true"},
                     json={"question": "How long does delivery take?"}) as source:  # now from the answer cache
        again = [(e.event, e.json()) for e in source.iter_sse()]
    with connect_sse(api, "POST", f"/api/v1/documents/{doc_id}/query", params={"stream": "true"},
                     headers={"Accept-Language": "ru"}, json={"question": "How long does delivery take?"}) as source:
        assert [e.json() for e in source.iter_sse()][-1]["citations"][0]["label"].startswith("раздел «Terms»")
    assert [n for n, _ in again] == ["delta", "answer"] and again[0][1]["text"] == final["answer"]
    assert again[1][1]["cached"] is True and again[1][1]["citations"] == final["citations"]

    with connect_sse(api, "POST", f"/api/v1/documents/{uuid.uuid4()}/query",
                     headers={"Accept": "text/event-stream"}, json={"question": "x?"}) as source:
        assert source.response.status_code == 404  # errors before the stream are problem details


def test_chunks_delete_and_usage(api: httpx.Client) -> None:
    doc_id = _upload(api, "gone.md", b"# Gone\n\nThis file will be deleted soon.").json()["id"]
    wait_processed(api, doc_id)
    page = api.get(f"/api/v1/documents/{doc_id}/chunks").json()
    chunks = page["items"]
    assert chunks and chunks[0]["ordinal"] == 0 and "deleted soon" in chunks[0]["text"] and page["next_cursor"] is None
    usage = api.get("/api/v1/usage")
    assert usage.json()["tier"] == "free" and usage.json()["documents"]["allowed"] == 10
    assert usage.headers["ratelimit-limit"] == "10" and "ratelimit-reset" in usage.headers
    assert api.delete(f"/api/v1/documents/{doc_id}").status_code == 204
    assert api.get(f"/api/v1/documents/{doc_id}").status_code == 404
    assert api.delete(f"/api/v1/documents/{doc_id}").status_code == 404


def test_the_eleventh_question_in_a_minute_is_429_with_retry_after(server: Server) -> None:
    with server.register() as client:
        doc_id = _upload(client, "q.md", b"# Q\n\nThe answer is forty-two.").json()["id"]
        wait_processed(client, doc_id)
        while time.time() % 60 > 45:  # fixed windows: keep the eleven requests inside one minute
            time.sleep(0.5)
        remaining = []
        for _ in range(10):
            ok = client.post(f"/api/v1/documents/{doc_id}/query", json={"question": "What is the answer?"})
            assert ok.status_code == 200
            remaining.append(int(ok.headers["ratelimit-remaining"]))
        refused = client.post(f"/api/v1/documents/{doc_id}/query", json={"question": "What is the answer?"})
    assert remaining == list(range(9, -1, -1))
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert refused.json()["window"] == "minute" and 1 <= int(refused.headers["retry-after"]) <= 60
    assert (refused.headers["ratelimit-limit"], refused.headers["ratelimit-remaining"]) == ("10", "0")
    assert refused.headers["ratelimit-reset"] == refused.headers["retry-after"]


QUESTIONS_SAMPLE = 'assistant_questions_total{cached="false",model="offline-extractive"}'


def _sample(scrape: str, name: str) -> float:
    """The value of one Prometheus sample line (0 when it is not there yet)."""
    for line in scrape.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def test_readiness_and_metrics(server: Server, api: httpx.Client) -> None:
    with server.client() as anonymous:
        ready = anonymous.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"status": "ready", "checks": {"database": "ok"}}
        before = _sample(anonymous.get("/metrics").text, QUESTIONS_SAMPLE)
        api.get("/api/v1/documents")
        doc_id = _upload(api, "metrics.md", b"# M\n\nThe metric answer is seven.").json()["id"]
        wait_processed(api, doc_id)
        assert api.post(f"/api/v1/documents/{doc_id}/query", json={"question": "What is the metric answer?"}
                        ).status_code == 200
        scrape = anonymous.get("/metrics").text
    assert 'assistant_http_request_seconds_count{method="GET",route="/api/v1/documents",status="200"}' in scrape
    assert _sample(scrape, QUESTIONS_SAMPLE) == before + 1


def test_questions_across_documents_and_the_conversation_history(server: Server) -> None:
    with server.register() as client:
        terms = _upload(client, "terms.md", b"# Terms\n\nInvoices are payable within 30 days.").json()["id"]
        office = _upload(client, "office.md", b"# Office\n\nThe Lisbon office opens at 8 am.").json()["id"]
        for doc_id in (terms, office):
            wait_processed(client, doc_id)
        both = client.post("/api/v1/query", json={"question": "When does the Lisbon office open?",
                                                  "document_ids": [terms, office]})
        assert both.status_code == 200, both.text
        assert "8 am" in both.json()["answer"] and both.json()["document_id"] is None
        assert {c["document_id"] for c in both.json()["citations"]} == {office}
        library = client.post("/api/v1/query", json={"question": "When are invoices payable?", "whole_library": True})
        assert "30 days" in library.json()["answer"]
        everything = client.post("/api/v1/query", json={"question": "When does the Lisbon office open?"})
        assert "8 am" in everything.json()["answer"]  # no documents named: the whole library
        history = client.get("/api/v1/conversations").json()
        assert [h["question"] for h in history] == ["When does the Lisbon office open?", "When are invoices payable?",
                                                    "When does the Lisbon office open?"]
        with server.register() as other:
            foreign = other.post("/api/v1/query", json={"question": "invoices?", "document_ids": [terms]})
            assert foreign.status_code == 404
            assert other.get("/api/v1/conversations").json() == []


def test_a_dead_language_model_is_a_503_problem_and_nothing_is_stored(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    env = {"ASSISTANT_LLM_BACKEND": "openai", "ASSISTANT_OPENAI_API_KEY": "sk-test", "ASSISTANT_OPENAI_BASE_URL": dead,
           "ASSISTANT_LLM_MAX_RETRIES": "0"}
    for server in run_server(tmp_path, env):
        with server.register() as api:
            doc_id = _upload(api, "terms.md", b"# Terms\n\nDelivery takes five days.").json()["id"]
            wait_processed(api, doc_id)
            for params in ({}, {"stream": "true"}):
                answer = api.post(f"/api/v1/documents/{doc_id}/query", params=params,
                                  json={"question": "How long does delivery take?"})
                # streamed or not: the model fails before the first byte, so a plain problem
                assert answer.status_code == 503 and answer.headers["content-type"] == PROBLEM
                assert answer.json()["code"] == "service_unavailable" and "Traceback" not in answer.text
            assert api.get("/api/v1/conversations").json() == []  # nothing stored for an unanswered question
