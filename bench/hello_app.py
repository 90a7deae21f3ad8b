"""The ceiling for bench.api: a bare FastAPI hello-world under the same server."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}
