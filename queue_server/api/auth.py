"""Login and bearer-token authentication of API callers."""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request

from ..domain.access import Actor
from ..domain.errors import TooManyAttempts, Unauthenticated
from ..hub import Hub
from .body import json_body, text_field

bp = Blueprint("auth", __name__)


def hub() -> Hub:
    return current_app.extensions["bianmin"]


# A kiosk or clerk sends the same token with every request; looking it up in Redis each time was 13 %
# of the issue path's CPU (docs/performance.md). Two seconds of caching bounds how long a revoked
# token keeps working in another process; the revoking process forgets it at once.
TOKEN_CACHE_S = 2.0
TOKEN_CACHE_MAX = 10000
_token_cache: dict[str, tuple[float, Actor | None]] = {}


def actor_from_token(h: Hub, token: str | None) -> Actor | None:
    """The actor a bearer token stands for, or None."""
    token = token or ""
    now = time.monotonic()
    cached = _token_cache.get(token)
    if cached and cached[0] > now:
        return cached[1]
    record = h.accounts.resolve(token)
    actor = None
    if record:
        actor = Actor(name=record["subject"], role=record["role"], hall=record.get("hall", ""),
                      device_kind=record.get("device_kind", ""))
    if actor is not None:
        if len(_token_cache) >= TOKEN_CACHE_MAX:
            _token_cache.clear()
        _token_cache[token] = (now + TOKEN_CACHE_S, actor)
    return actor


def forget_token(token: str) -> None:
    """Drop a token from this process's cache (logout)."""
    _token_cache.pop(token or "", None)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def current_actor(required: bool = True) -> Actor | None:
    """The authenticated caller; raises Unauthenticated when required and missing."""
    if "actor" not in g:
        g.actor = actor_from_token(hub(), bearer_token())
    if g.actor is None and required:
        raise Unauthenticated("请先登录" if bearer_token() is None else "登录已失效，请重新登录")
    return g.actor


def authenticated(view):
    """Require a valid bearer token before the view runs."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        current_actor()
        return view(*args, **kwargs)
    return wrapper


@bp.post("/auth/login")
def login():
    """Exchange a username and password for a bearer token."""
    h = hub()
    body = json_body()
    username = text_field(body, "username", max_len=64)
    password = text_field(body, "password", max_len=256, strip=False)
    settings = h.settings
    address = request.remote_addr or "unknown"
    # Per user and per address: a guessing attack is slowed whichever it varies.
    for subject, limit in ((f"user:{username}", settings.login_max_failures),
                           (f"addr:{address}", settings.login_max_failures * 4)):
        count, ttl = h.accounts.failures(subject)
        if count >= limit:
            raise TooManyAttempts("登录失败次数过多，请稍后再试", retry_after=ttl or settings.login_window_s)
    record = h.accounts.verify(username, password)
    if record is None:
        h.accounts.count_failure(f"user:{username}", settings.login_window_s)
        h.accounts.count_failure(f"addr:{address}", settings.login_window_s)
        raise Unauthenticated("用户名或密码错误")
    h.accounts.clear_failures(f"user:{username}")
    token = h.accounts.issue_token(username, role=record["role"], hall=record.get("hall", ""),
                                   ttl_s=settings.token_ttl_s)
    return jsonify({
        "token": token,
        "expires_in": settings.token_ttl_s,
        "user": {"username": username, "role": record["role"], "hall": record.get("hall") or None,
                 "name": record.get("name") or username},
    })


@bp.post("/auth/logout")
@authenticated
def logout():
    """Revoke the token used for this request."""
    hub().accounts.revoke(bearer_token())
    forget_token(bearer_token())
    return "", 204


@bp.get("/auth/me")
@authenticated
def me():
    """Who the token belongs to."""
    actor = current_actor()
    out = {"username": actor.name, "role": actor.role, "hall": actor.hall or None}
    if actor.role == "device":
        out["kind"] = actor.device_kind
    else:
        user = hub().accounts.user(actor.name) or {}
        out["name"] = user.get("name") or actor.name
    return jsonify(out)

