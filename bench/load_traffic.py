"""bench.load's open-loop traffic: requests arrive at a fixed rate, scheduled by the clock (request k
at ``start + k / rate``), never by responses, so a slow server does not slow the arrivals down (a
closed loop would hide the latency it causes). The client is bench/load_http.py on uvloop, cheap
enough per request to leave the cores to the servers. Each arrival picks a route from the mix and a
simulated user at random, and goes to the API processes in turn (the client's round robin stands
in for the load balancer).

Bounded three ways: no arrival after ``duration`` seconds, at most ``max_requests`` arrivals, and at
most ``max_in_flight`` requests outstanding (an arrival finding them all busy is not sent and is
counted as shed: the client or the server cannot keep up). Latency is measured from the arrival's
scheduled time, so any delay of the client's own in sending it counts too (and is reported apart
as the lag).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, defaultdict

import attrs
import uvloop

from bench.load_data import document, new_question
from bench.load_http import HttpError, Pool

# route -> share of the arrivals, in percent
MIX = {"GET documents": 30, "GET usage": 15, "GET a document": 10, "POST question": 20,
       "POST cached question": 20, "POST upload": 5}
EXPECTED = {"POST upload": 202}  # every other route: 200
TIMEOUT = 30.0


@attrs.define
class SimUser:
    """A simulated user: its token, its processed seed documents, and what it has uploaded since."""

    email: str
    headers: dict[str, str]
    seeds: list[str]
    cached: list[tuple[str, str]]  # (document id, question) asked during set-up
    uploaded: list[str] = attrs.Factory(list)


@attrs.define
class Outcome:
    """What the run recorded: latency per route, every unexpected status, the accepted uploads."""

    latencies: dict[str, list[float]] = attrs.Factory(lambda: defaultdict(list))
    errors: Counter = attrs.Factory(Counter)  # (route, status or exception name) -> count
    rate_limited: Counter = attrs.Factory(Counter)  # route -> 429s
    cache_hits: Counter = attrs.Factory(Counter)  # route -> answers that said cached: true
    uploads: list[str] = attrs.Factory(list)
    lags: list[float] = attrs.Factory(list)
    shed: int = 0
    arrivals: int = 0
    first_arrival: float = 0.0
    last_arrival: float = 0.0
    last_response: float = 0.0
    client_cpu: float = 0.0

    @property
    def completed(self) -> int:
        return sum(len(v) for v in self.latencies.values())


@attrs.define
class Traffic:
    api_urls: list[str]
    users: list[SimUser]
    rate: float
    duration: float
    max_requests: int
    max_in_flight: int
    seed: int = 17
    outcome: Outcome = attrs.Factory(Outcome)
    _serial: int = 0

    def run(self) -> Outcome:
        cpu = time.process_time()
        uvloop.run(self._drive())  # the client's CPU per request matters: it shares the cores
        self.outcome.client_cpu = time.process_time() - cpu
        return self.outcome

    async def _drive(self) -> None:
        rng = random.Random(self.seed)
        routes, weights = list(MIX), list(MIX.values())
        clients = [Pool(url, TIMEOUT) for url in self.api_urls]
        in_flight: set[asyncio.Task[None]] = set()
        total = min(self.max_requests, int(self.rate * self.duration))
        out = self.outcome
        start = out.first_arrival = time.perf_counter() + 0.05  # perf_counter: uvloop's clock has 1 ms steps
        try:
            for k in range(total):
                at = start + k / self.rate
                if (delay := at - time.perf_counter()) > 0:
                    await asyncio.sleep(delay)
                out.arrivals += 1
                out.last_arrival = time.perf_counter()
                if len(in_flight) >= self.max_in_flight:
                    out.shed += 1
                    continue
                route = rng.choices(routes, weights)[0]
                task = asyncio.create_task(self._one(clients[k % len(clients)], route, rng.choice(self.users), at, rng))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            await asyncio.gather(*in_flight)
        finally:
            out.last_response = time.perf_counter()
            for client in clients:
                await client.close()

    def _request(self, client: Pool, route: str, user: SimUser, rng: random.Random):  # noqa: ANN202
        h = user.headers
        if route == "GET documents":
            return client.get("/api/v1/documents", h)
        if route == "GET usage":
            return client.get("/api/v1/usage", h)
        if route == "GET a document":
            return client.get(f"/api/v1/documents/{rng.choice(user.seeds + user.uploaded[-20:])}", h)
        self._serial += 1
        if route == "POST question":
            return client.post_json(f"/api/v1/documents/{rng.choice(user.seeds)}/query", h,
                                    {"question": new_question(rng, self._serial)})
        if route == "POST cached question":
            doc, question = rng.choice(user.cached)
            return client.post_json(f"/api/v1/documents/{doc}/query", h, {"question": question})
        name, data = document(rng, 100_000 + self._serial)
        return client.post_file("/api/v1/documents", h, name, data)

    async def _one(self, client: Pool, route: str, user: SimUser, at: float,
                   rng: random.Random) -> None:
        out = self.outcome
        out.lags.append(time.perf_counter() - at)
        try:
            response = await self._request(client, route, user, rng)
        except TimeoutError:
            out.errors[(route, "timeout")] += 1
            return
        except HttpError as error:
            out.errors[(route, str(error))] += 1
            return
        out.latencies[route].append((time.perf_counter() - at) * 1000)
        if response.status == 429:
            out.rate_limited[route] += 1
        elif response.status != EXPECTED.get(route, 200):
            out.errors[(route, str(response.status))] += 1
        elif route == "POST upload":
            document_id = response.json()["id"]
            out.uploads.append(document_id)
            user.uploaded.append(document_id)
        elif route.endswith("question") and response.json()["cached"]:
            out.cache_hits[route] += 1
