"""Parsing of JSON request bodies with clear 400 errors."""

from __future__ import annotations

from flask import request

from ..domain.errors import InvalidInput


def json_body(optional: bool = False) -> dict:
    """The request's JSON object; {} for an empty optional body; 400 otherwise."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise InvalidInput("请求体应为 JSON 对象")
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("请求体应为 JSON 对象")
    return data


def text_field(body: dict, name: str, *, max_len: int, required: bool = True, strip: bool = True):
    """A string field of the body, validated for type and length."""
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"缺少字段 {name}", field=name)
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"字段 {name} 应为字符串", field=name)
    if len(value) > max_len:
        raise InvalidInput(f"字段 {name} 过长（最多 {max_len} 个字符）", field=name)
    return value.strip() if strip else value
