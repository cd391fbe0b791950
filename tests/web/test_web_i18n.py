"""The message catalogs: same keys in both languages, and every key the pages use exists."""

import json
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "queue_server" / "web"


def catalogs():
    return {lang: json.loads((WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("zh-CN", "en")}


def test_catalogs_have_identical_keys_and_no_empty_text():
    cats = catalogs()
    assert set(cats["zh-CN"]) == set(cats["en"])
    for lang, cat in cats.items():
        assert all(isinstance(v, str) and v.strip() for v in cat.values()), lang


def test_placeholders_match_between_languages():
    cats = catalogs()
    for key, zh in cats["zh-CN"].items():
        assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", cats["en"][key])), key


def used_keys() -> set[str]:
    keys = set()
    for path in (WEB / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"data-i18n(?:-[a-z-]+)?=\"([\w.]+)\"", text))
        keys |= set(re.findall(r"\bt\('([\w.]+)'", text))
        keys |= set(re.findall(r"(?:tr|login_form)\('[\w-]*',? ?'([\w.]+)'", text))
        keys |= set(re.findall(r"data-reason-key=\"([\w.]+)\"", text))
    for path in (WEB / "static" / "js").glob("*.js"):
        keys |= set(re.findall(r"\bt\('([\w.]+)'", path.read_text(encoding="utf-8")))
    return keys


def test_every_key_used_by_a_page_exists():
    missing = sorted(used_keys() - set(catalogs()["zh-CN"]))
    assert not missing, missing


def test_chinese_is_the_default_rendered_language(client):
    html = client.get("/kiosk/demo").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "请选择您要办理的业务" in html
