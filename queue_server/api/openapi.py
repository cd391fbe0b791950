"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)

ERROR = {"$ref": "#/components/schemas/Error"}
TICKET = {"$ref": "#/components/schemas/Ticket"}
WINDOW = {"$ref": "#/components/schemas/Window"}
HALL = {"name": "hall", "in": "path", "required": True, "schema": {"type": "string"}}
WIN = {"name": "window", "in": "path", "required": True, "schema": {"type": "string"}}
TID = {"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "string"}}
BEARER = [{"bearer": []}]


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes):
    text = {400: "Malformed or invalid input", 401: "Missing or invalid token", 403: "Role or hall not allowed",
            404: "Unknown hall, service, window or ticket", 409: "Quota reached, outside hours, window not open "
            "or ticket in the wrong state", 413: "Body too large", 429: "Too many attempts",
            503: "Redis unavailable"}
    return {str(c): _json(ERROR, text[c]) for c in codes}


def _body(props, required):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": props, "required": required}}}}


def _window_op(summary, response, body=None, extra=None):
    op = {"summary": summary, "security": BEARER, "parameters": [HALL, WIN],
          "responses": {"200": _json(response), **(extra or {}), **_errors(400, 401, 403, 404, 409, 503)}}
    if body:
        op["requestBody"] = body
    return {"post": op}


def document() -> dict:
    """Build the OpenAPI document."""
    reason = _body({"reason": {"type": "string", "maxLength": 200}}, ["reason"])
    service = _body({"service": {"type": "string"}}, ["service"])
    paths = {
        "/api/v1/health": {"get": {"summary": "Server and Redis health", "responses": {
            "200": _json({"type": "object", "properties": {"status": {"const": "ok"}, "redis": {"const": "ok"}}}),
            "503": _json({"type": "object"}, "Redis unavailable")}}},
        "/api/v1/auth/login": {"post": {
            "summary": "Exchange username and password for a bearer token",
            "requestBody": _body({"username": {"type": "string"}, "password": {"type": "string"}},
                                 ["username", "password"]),
            "responses": {"200": _json({"type": "object", "properties": {
                "token": {"type": "string"}, "expires_in": {"type": "integer"},
                "user": {"type": "object", "properties": {"username": {"type": "string"},
                                                          "role": {"enum": ["admin", "manager", "clerk"]},
                                                          "hall": {"type": ["string", "null"]}}}}}),
                **_errors(400, 401, 413, 429, 503)}}},
        "/api/v1/auth/me": {"get": {"summary": "Who the token belongs to", "security": BEARER,
                                    "responses": {"200": _json({"type": "object"}), **_errors(401)}}},
        "/api/v1/auth/logout": {"post": {"summary": "Revoke the token", "security": BEARER,
                                         "responses": {"204": {"description": "Revoked"}, **_errors(401)}}},
        "/api/v1/halls": {"get": {"summary": "List halls", "responses": {"200": _json({"type": "array", "items": {
            "type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                             "timezone": {"type": "string"}}}})}}},
        "/api/v1/halls/{hall}": {"get": {"summary": "Hall configuration with service guides",
                                         "parameters": [HALL],
                                         "responses": {"200": _json({"type": "object"}), **_errors(404)}}},
        "/api/v1/halls/{hall}/services": {"get": {
            "summary": "Services with waiting counts and whether they accept tickets now", "parameters": [HALL],
            "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/Service"}}),
                          **_errors(404, 503)}}},
        "/api/v1/halls/{hall}/windows": {"get": {
            "summary": "Windows with state, staff and current ticket", "parameters": [HALL],
            "responses": {"200": _json({"type": "array", "items": WINDOW}), **_errors(404, 503)}}},
        "/api/v1/halls/{hall}/snapshot": {"get": {
            "summary": "Public snapshot, as sent over Socket.IO", "parameters": [HALL],
            "responses": {"200": _json({"$ref": "#/components/schemas/Snapshot"}), **_errors(404, 503)}}},
        "/api/v1/halls/{hall}/tickets": {
            "post": {"summary": "Issue a ticket (device or staff token)", "security": BEARER, "parameters": [HALL],
                     "requestBody": _body({"service": {"type": "string"},
                                           "priority": {"enum": ["normal", "green"], "default": "normal"},
                                           "channel": {"type": "string"}}, ["service"]),
                     "responses": {"201": _json(TICKET, "Issued"), **_errors(400, 401, 403, 404, 409, 413, 503)}},
            "get": {"summary": "Today's tickets in a status (waiting: in call order)", "security": BEARER,
                    "parameters": [HALL,
                                   {"name": "status", "in": "query", "schema": {
                                       "enum": ["waiting", "called", "serving", "done", "no_show", "cancelled"],
                                       "default": "waiting"}},
                                   {"name": "service", "in": "query", "schema": {"type": "string"}},
                                   {"name": "window", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": _json({"type": "array", "items": TICKET}),
                                  **_errors(400, 401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/tickets/{ticket_id}": {"get": {
            "summary": "One ticket (no auth: the id is unguessable)", "parameters": [HALL, TID],
            "responses": {"200": _json(TICKET), **_errors(404, 503)}}},
        "/api/v1/halls/{hall}/tickets/{ticket_id}/transfer": {"post": {
            "summary": "Manager: move a ticket to another service", "security": BEARER,
            "parameters": [HALL, TID], "requestBody": service,
            "responses": {"200": _json(TICKET), **_errors(400, 401, 403, 404, 409, 503)}}},
        "/api/v1/halls/{hall}/tickets/{ticket_id}/cancel": {"post": {
            "summary": "Staff: cancel a waiting or called ticket", "security": BEARER,
            "parameters": [HALL, TID],
            "responses": {"200": _json(TICKET), **_errors(400, 401, 403, 404, 409, 503)}}},
        "/api/v1/halls/{hall}/windows/{window}/open": _window_op(
            "Sign in at the window", WINDOW,
            {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"staff": {"type": "string"}}}}}}),
        "/api/v1/halls/{hall}/windows/{window}/close": _window_op("Sign out and close the window", WINDOW),
        "/api/v1/halls/{hall}/windows/{window}/pause": _window_op("Pause with a reason", WINDOW, reason),
        "/api/v1/halls/{hall}/windows/{window}/resume": _window_op("Resume a paused window", WINDOW),
        "/api/v1/halls/{hall}/windows/{window}/away": _window_op("Mark the staffer absent (暂离)", WINDOW, reason),
        "/api/v1/halls/{hall}/windows/{window}/next": _window_op(
            "Finish the current ticket and call the next", TICKET,
            extra={"204": {"description": "Nobody waits"}}),
        "/api/v1/halls/{hall}/windows/{window}/recall": _window_op("Call the current ticket again", TICKET),
        "/api/v1/halls/{hall}/windows/{window}/start": _window_op("Start serving the called ticket", TICKET),
        "/api/v1/halls/{hall}/windows/{window}/finish": _window_op("Finish the current ticket", TICKET),
        "/api/v1/halls/{hall}/windows/{window}/no-show": _window_op("Mark the called resident absent", TICKET),
        "/api/v1/halls/{hall}/windows/{window}/transfer": _window_op(
            "Send the current ticket to another service", TICKET, service),
        "/api/v1/halls/{hall}/dashboard": {"get": {
            "summary": "Manager: live figures per service and window, alerts, arrivals and waits by hour",
            "security": BEARER, "parameters": [HALL],
            "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/notices": {
            "post": {"summary": "Manager: post a marquee notice", "security": BEARER, "parameters": [HALL],
                     "requestBody": _body({"text": {"type": "string", "maxLength": 200}}, ["text"]),
                     "responses": {"201": _json({"type": "object"}), **_errors(400, 401, 403, 404, 503)}},
            "delete": {"summary": "Manager: clear posted notices", "security": BEARER, "parameters": [HALL],
                       "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/help": {"post": {
            "summary": "Kiosk: ask for a guide (人工帮办); raises a dashboard alert", "security": BEARER,
            "parameters": [HALL], "responses": {"202": _json({"type": "object"}), **_errors(401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/windows/{window}/heartbeat": _window_op(
            "The clerk's tablet or keypad reports the staffer present", {"type": "object"}),
        "/api/v1/halls/{hall}/windows/{window}/cover": _window_op(
            "B post: take an absent window's services at this window (AB岗)", {"type": "object"},
            _body({"window": {"type": "string"}}, ["window"])),
        "/api/v1/halls/{hall}/windows/{window}/rating": _window_op(
            "Record a 好差评 rating (1-5) for the ticket the window finished last", {"type": "object"},
            _body({"rating": {"type": "integer", "minimum": 1, "maximum": 5}, "channel": {"type": "string"}},
                  ["rating"])),
        "/api/v1/halls/{hall}/tickets/{ticket_id}/print": {"post": {
            "summary": "Print a ticket's slip again on a kiosk's printer", "security": BEARER,
            "parameters": [HALL, TID], "responses": {"202": _json({"type": "object"}), **_errors(401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/tickets/{ticket_id}/print-status": {"post": {
            "summary": "Gateway: report how printing a slip went", "security": BEARER, "parameters": [HALL, TID],
            "requestBody": _body({"status": {"enum": ["queued", "printed", "retrying", "failed", "no_printer"]},
                                  "message": {"type": "string"}, "printer": {"type": "string"}}, ["status"]),
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/devices/printers": {"post": {
            "summary": "Gateway: register which printer prints a kiosk's tickets", "security": BEARER,
            "parameters": [HALL], "requestBody": _body({"kiosk": {"type": "string"}, "printer": {"type": "string"}},
                                                       ["kiosk", "printer"]),
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/devices/status": {"post": {
            "summary": "Gateway: report a device's hardware state", "security": BEARER, "parameters": [HALL],
            "requestBody": _body({"device": {"type": "string"}, "status": {"type": "object"}}, ["device", "status"]),
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 404, 503)}}},
        "/api/v1/halls/{hall}/devices": {"get": {
            "summary": "Staff: hardware state of the hall's devices", "security": BEARER, "parameters": [HALL],
            "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 404, 503)}}},
        "/api/v1/workers": {"get": {
            "summary": "Manager: background workers, the cron scheduler and failed jobs", "security": BEARER,
            "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 503)}}},
        "/api/v1/workers/failed/requeue": {"post": {
            "summary": "Manager: retry every failed job", "security": BEARER,
            "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 503)}}},
        "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": _json({"type": "object"})}}},
    }
    iso = {"type": ["string", "null"], "format": "date-time"}
    schemas = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
        "Ticket": {"type": "object", "required": ["id", "number", "service", "status", "priority", "position",
                                                  "estimated_wait_s", "window", "issued_at", "called_at",
                                                  "finished_at"],
                   "properties": {
                       "id": {"type": "string"}, "number": {"type": "string", "examples": ["A012"]},
                       "service": {"type": "string"},
                       "status": {"enum": ["waiting", "called", "serving", "done", "no_show", "cancelled"]},
                       "priority": {"enum": ["normal", "green"]},
                       "position": {"type": ["integer", "null"], "description": "People ahead; 0 = next"},
                       "estimated_wait_s": {"type": ["integer", "null"]},
                       "window": {"type": ["string", "null"]},
                       "windows": {"type": "array", "items": {"type": "string"},
                                   "description": "Windows that may call it now"},
                       "issued_at": iso, "called_at": iso, "finished_at": iso}},
        "Window": {"type": "object", "required": ["code", "name", "services", "state", "staff", "current"],
                   "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                  "services": {"type": "array", "items": {"type": "string"}},
                                  "state": {"enum": ["closed", "open", "paused", "away"]},
                                  "staff": {"type": ["string", "null"]},
                                  "current": {"type": ["object", "null"]},
                                  "reason": {"type": ["string", "null"]}}},
        "Service": {"type": "object", "required": ["code", "name", "prefix", "waiting", "accepting"],
                    "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                   "prefix": {"type": "string"}, "waiting": {"type": "integer"},
                                   "accepting": {"type": "boolean"},
                                   "closed_reason": {"enum": [None, "outside_hours", "quota_reached"]}}},
        "Snapshot": {"type": "object", "required": ["hall", "last_event_id", "services", "windows", "recent_calls"],
                     "properties": {"hall": {"type": "string"}, "last_event_id": {"type": ["string", "null"]},
                                    "services": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
                                    "windows": {"type": "array", "items": WINDOW},
                                    "recent_calls": {"type": "array", "items": {"type": "object"}}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bianmin queue server", "version": "1",
                 "description": "Tickets, windows and live events of public service halls. Live events: "
                                "Socket.IO default namespace; emit `sync` {hall, since}; receive `snapshot` "
                                "or the events after `since`, then `synced`, then live events "
                                "(ticket_issued, ticket_called, ticket_updated, window_updated, window_away, "
                                "tickets_rerouted). Every event has id, type, hall, ts."},
        "paths": paths,
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document."""
    return jsonify(document())
