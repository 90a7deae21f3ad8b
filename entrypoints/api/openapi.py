"""Two corrections to the OpenAPI document FastAPI generates, so /docs shows what the API does.

- Error responses declare their Problem schema under application/problem+json, the media type they
  are sent with (FastAPI puts a response model under application/json).
- Model examples keep their null members: FastAPI drops every None from the document, which turns
  an example such as ``"error_code": null`` into one that misses a required member.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel

from entrypoints.api.problems import PROBLEM_JSON

PACKAGE = "entrypoints.api"


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = generate()
        _problems_as_problem_json(spec)
        _examples_with_nulls(spec)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _problems_as_problem_json(spec: dict[str, Any]) -> None:
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if str(status)[0] in "45" and PROBLEM_JSON in content and "application/json" in content:
                    content[PROBLEM_JSON] = {**content.pop("application/json"), **content[PROBLEM_JSON]}


def _examples_with_nulls(spec: dict[str, Any]) -> None:
    components = spec.get("components", {}).get("schemas", {})
    for model in _models(BaseModel):
        extra = model.model_config.get("json_schema_extra")
        if model.__module__.startswith(PACKAGE) and model.__name__ in components and isinstance(extra, dict) \
                and "examples" in extra:
            components[model.__name__]["examples"] = jsonable_encoder(extra["examples"])


def _models(base: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for sub in base.__subclasses__():
        found += [sub, *_models(sub)]
    return found
