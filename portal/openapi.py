"""The OpenAPI description of forms that an endpoint reads itself (`await request.form()`) rather
than through `Form()` parameters, so that /openapi.json (test and development only) describes
every input and the fuzz test sends them (tests/security/test_fuzz.py)."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {"type": "string"}
TEXTS: dict[str, Any] = {"type": "array", "items": TEXT}


def form_body(fields: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """`openapi_extra` for a form of `fields` (name: JSON schema); without fields, any names.

    Nothing is marked required: the endpoints answer a missing input with the form and a
    message, not with a validation error.
    """
    schema: dict[str, Any] = {"type": "object", "properties": fields or {}}
    if fields is None:
        schema["additionalProperties"] = TEXT
    return {
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }
