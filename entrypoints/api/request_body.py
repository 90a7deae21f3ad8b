"""The base of every JSON request body: no string anywhere in it may hold a C0 control character.

PostgreSQL text cannot hold NUL (psycopg refuses the statement), and no field of this API has a use
for the other control characters; tab, line feed and carriage return stay allowed (a question may
span lines). The check walks the raw input before field validation, nested lists and objects
included, so a new field of any model is covered without a line of its own; a refused body gets
422 ``invalid_input`` naming the field, like any other invalid field.

Only the model's own fields are walked: an unknown property is ignored unread, whatever it holds.
And the JSON schema says what the check refuses: every string property carries
``"not": {"pattern": CONTROL_PATTERN}`` (schemathesis, sending schema-valid strings holding control
characters, found the 422s the schema did not announce). A ``not`` rather than a second pattern:
it leaves a field's own pattern alone, and schemathesis's negative cases break a ``pattern`` by
appending "*", which a string without control characters still is."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, ValidationError

from entrypoints.api.request_limits import has_control

CONTROL_PATTERN = "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]"  # has_control's characters
NO_CONTROL_PATTERN = "^[^" + CONTROL_PATTERN[1:-1] + "]*$"  # the same as one pattern, for a form field


class RequestBody(BaseModel):
    @model_validator(mode="wrap")
    @classmethod
    def _no_control_characters(cls, data: Any, handler: Any) -> Any:
        if isinstance(data, dict):  # the fields of the model; anything else is dropped unread
            declared = {name for key, field in cls.model_fields.items() for name in (key, field.alias) if name}
            found = [hit for key, item in data.items() if key in declared for hit in _controls(item, (key,))]
        else:
            found = _controls(data, ())
        if found:
            raise ValidationError.from_exception_data(cls.__name__, [InitErrorDetails(
                type=PydanticCustomError("control_character", "must not contain control characters such as NUL"),
                loc=loc, input="") for loc in found])
        return handler(data)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        for prop in handler.resolve_ref_schema(schema).get("properties", {}).values():
            _announce_no_control(prop)
        return schema


def _announce_no_control(schema: dict[str, Any]) -> None:
    """Say "no control character" in a string schema, its array items and its variants."""
    refusal = {"pattern": CONTROL_PATTERN}
    if schema.get("type") == "string" and schema.get("format") not in ("uuid", "date-time") and (
            schema.get("not") != refusal):
        if "not" in schema:
            schema.setdefault("allOf", []).append({"not": refusal})
        else:
            schema["not"] = refusal
    for variant in schema.get("anyOf", []):
        _announce_no_control(variant)
    if isinstance(schema.get("items"), dict):
        _announce_no_control(schema["items"])


def _controls(value: Any, loc: tuple[int | str, ...]) -> list[tuple[int | str, ...]]:
    if isinstance(value, str):
        return [loc] if has_control(value) else []
    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in
                ([(*loc, str(key))] if isinstance(key, str) and has_control(key) else []) + _controls(item, (*loc, key))]
    if isinstance(value, list | tuple):
        return [hit for i, item in enumerate(value) for hit in _controls(item, (*loc, i))]
    return []
