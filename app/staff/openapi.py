"""The OpenAPI document of the staff JSON API (/api/openapi.json), written by hand so it says
exactly what the API promises: bearer tokens, JSON only, the error shapes."""

from typing import Any

_ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
_FIELD_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}
_STAFF = {
    "type": "object",
    "properties": {
        name: {"type": ["string", "null"]}
        for name in ("referral_procedure", "professional_contact", "staff_note")
    },
}
_OFFER = {
    "type": "object",
    "description": "An HSDS 3.0 service (fully nested), plus `staff` and `workflow`.",
    "required": ["id", "name", "staff", "workflow"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "staff": _STAFF,
        "workflow": {
            "type": "object",
            "properties": {
                "status": {
                    "type": "string",
                    "enum": ["draft", "pending", "published", "temporarily_closed", "retired"],
                },
                "assured_date": {"type": ["string", "null"]},
            },
        },
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_COMMON = {
    "401": _json(_ERROR, "No valid token"),
    "403": _json(_ERROR, "The token's account may not do this"),
    "404": _json(_ERROR, "No offer with that id"),
    "422": _json(_ERROR, "A parameter is not valid"),
}


def staff_openapi() -> dict[str, Any]:
    offer_id = {
        "name": "offer_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "maxLength": 36},
        "example": "aaaaaaaa-0000-4000-8000-000000000001",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Opslagstavlen staff API",
            "version": "1",
            "description": (
                "For integrations acting for a staff account. Send `Authorization: Bearer "
                "<token>` (from `opslagstavle create-token`). Messages follow Accept-Language."
            ),
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}],
        "paths": {
            "/api/offers/{offer_id}": {
                "parameters": [offer_id],
                "get": {
                    "summary": "An offer with its staff-only facts and workflow",
                    "responses": {"200": _json(_OFFER, "The offer"), **_COMMON},
                },
                "patch": {
                    "summary": "Change HSDS fields, `staff`, `staff_note` or `workflow`",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "responses": {
                        "200": _json(_OFFER, "The offer as it is now"),
                        **_COMMON,
                        "413": _json(_ERROR, "The body is too large"),
                        "415": _json(_ERROR, "The body is not JSON"),
                        "422": _json(_FIELD_ERRORS, "What is wrong, field by field"),
                    },
                },
            }
        },
    }
