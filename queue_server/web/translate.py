"""Message catalogs (zh-CN first, English second) for the pages: served to i18n.js and used by Jinja."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import abort, jsonify

from . import bp

CATALOGS = Path(__file__).resolve().parent / "i18n"
LANGS = ("zh-CN", "en")
DEFAULT = "zh-CN"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """The flat key -> text catalog of a language (read once per process)."""
    return json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = DEFAULT, **params) -> str:
    """Translate `key`; a missing key shows itself so it is noticed, never an empty label."""
    text = catalog(lang).get(key, key)
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@bp.get("/i18n/<lang>.json")
def serve_catalog(lang):
    """The catalog for i18n.js; pages render zh-CN on the server and switch in place."""
    if lang not in LANGS:
        abort(404)
    response = jsonify(catalog(lang))
    # Catalogs change only with a deploy; a short cache keeps reloads of kiosks cheap.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def install(app) -> None:
    """Make `t()` available in every template."""
    app.jinja_env.globals["t"] = t
