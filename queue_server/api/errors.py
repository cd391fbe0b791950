"""Turn every failure into a JSON error with the right status; bad input never becomes a 500."""

from __future__ import annotations

import logging

import redis
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..domain.errors import BianminError

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 429: "too_many_attempts",
}


def error_response(status: int, code: str, message: str, headers=None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def register(app: Flask) -> None:
    @app.errorhandler(BianminError)
    def domain_error(exc: BianminError):
        headers = {}
        if exc.status == 429 and exc.params.get("retry_after"):
            headers["Retry-After"] = str(exc.params["retry_after"])
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not request.path.startswith("/api/"):
            return exc
        return error_response(exc.code or 500, HTTP_CODES.get(exc.code, "http_error"), exc.description or exc.name)

    @app.errorhandler(redis.exceptions.ConnectionError)
    @app.errorhandler(redis.exceptions.TimeoutError)
    @app.errorhandler(redis.exceptions.BusyLoadingError)
    def store_down(exc):
        log.warning("redis unavailable: %s", exc)
        return error_response(503, "store_unavailable", "数据服务暂时不可用，请稍后重试", {"Retry-After": "2"})

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal", "服务器内部错误")
