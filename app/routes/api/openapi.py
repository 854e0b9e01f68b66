"""The OpenAPI document of the JSON API (/api/openapi.json), written by hand so it says exactly
what the API promises: bearer tokens for staff, no token for submissions, JSON only, the error
shapes."""

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


_SUBMISSION_BODY = {
    "type": "object",
    "description": (
        "An HSDS-shaped service: `name`, `description`, `organization.name`, `email` or "
        "`phones`, and at least one attribute with `taxonomy_term` {taxonomy: tema, code}; "
        "optional `application_process`, `organization.email`, `schedules`, "
        "`service_at_locations`, other attributes. Ids are filled in."
    ),
}
_STATUS = {
    "type": "object",
    "required": ["id", "status", "reason"],
    "properties": {
        "id": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": ["pending", "approved", "rejected"]},
        "reason": {"type": ["string", "null"]},
    },
}
_CREATED = {
    "type": "object",
    "required": ["id", "status", "edit_url"],
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["pending"]},
        "edit_url": {"type": "string"},
    },
}
_QUEUE_ITEM = {
    "type": "object",
    "required": ["id", "kind", "offer_id", "created", "summary"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["new", "change", "error_report"]},
        "offer_id": {"type": ["string", "null"]},
        "created": {"type": "string"},
        "summary": {"type": "string"},
    },
}
_DECIDED = {
    "type": "object",
    "required": ["id", "status"],
    "properties": {"id": {"type": "string"}, "status": {"type": "string"}},
}
_PUBLIC_ERRORS = {
    "413": _json(_ERROR, "The body is too large"),
    "415": _json(_ERROR, "The body is not JSON"),
    "422": _json(_FIELD_ERRORS, "What is wrong, field by field"),
    "429": _json(_ERROR, "Too many requests from this address"),
}


def _decision(summary: str, body: bool) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [
            {"name": "item_id", "in": "path", "required": True,
             "schema": {"type": "string", "maxLength": 36}}
        ],
        "responses": {
            "200": _json(_DECIDED, "Decided"),
            "401": _COMMON["401"],
            "403": _COMMON["403"],
            "404": _json(_ERROR, "No open item with that id"),
            "409": _json(_ERROR, "Today's rules refuse the proposed change"),
            "413": _PUBLIC_ERRORS["413"],
            "415": _PUBLIC_ERRORS["415"],
            "422": _PUBLIC_ERRORS["422"],
        },
    }  # fmt: skip
    if body:
        operation["requestBody"] = {
            "required": False,
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"reason": {"type": "string"}}}
                }
            },
        }
    return operation


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
            "title": "Opslagstavlen JSON API",
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
            },
            "/api/submissions": {
                "post": {
                    "summary": "Post a new offer without an account; it waits for staff",
                    "security": [],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _SUBMISSION_BODY}},
                    },
                    "responses": {"201": _json(_CREATED, "Received"), **_PUBLIC_ERRORS},
                }
            },
            "/api/submissions/{token}": {
                "parameters": [
                    {
                        "name": "token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 100},
                    }
                ],
                "get": {
                    "summary": "How the submission went",
                    "security": [],
                    "responses": {
                        "200": _json(_STATUS, "Its state"),
                        "404": _json(_ERROR, "No submission with that link"),
                        "422": _json(_ERROR, "A parameter is not valid"),
                    },
                },
                "put": {
                    "summary": "Propose a change (the same JSON as the post)",
                    "security": [],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _SUBMISSION_BODY}},
                    },
                    "responses": {
                        "202": _json({"type": "object"}, "The change waits for staff"),
                        "404": _json(_ERROR, "No submission with that link"),
                        **_PUBLIC_ERRORS,
                    },
                },
            },
            "/api/moderation": {
                "get": {
                    "summary": "Open items: new offers, proposed changes, error reports",
                    "responses": {
                        "200": _json({"type": "array", "items": _QUEUE_ITEM}, "Oldest first"),
                        "401": _COMMON["401"],
                        "403": _COMMON["403"],
                    },
                }
            },
            "/api/moderation/{item_id}/approve": {
                "post": _decision("Approve (for an error report: resolved)", body=True)
            },
            "/api/moderation/{item_id}/reject": {
                "post": _decision(
                    "Reject with a reason (for an error report: dismissed)", body=True
                )
            },  # fmt: skip
        },
    }
