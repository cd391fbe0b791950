"""Hall definitions: the demo loads, and every mistake is reported with file, field and problem."""

import pytest

from config.halls import load_halls, parse_hall
from queue_server.domain.errors import ConfigError
from tests.conftest import DEMO_HALLS

BASE = {
    "code": "t", "name": "测试大厅",
    "services": [{"code": "S", "name": "业务", "prefix": "A"}],
    "windows": [{"code": "1", "name": "1号窗口", "services": ["S"]}],
}


def test_demo_hall_has_the_required_shape():
    hall = load_halls(DEMO_HALLS)["demo"]
    assert hall.timezone == "Asia/Shanghai"
    assert len(hall.services) >= 6 and len(hall.windows) >= 6
    assert any(w.comprehensive and len(w.all_services) > 2 for w in hall.windows.values())
    assert all(w.staff_a and w.staff_b for w in hall.windows.values())
    assert all(s.guide.materials and s.guide.legal_basis for s in hall.services.values())


def variant(path, value):
    import copy
    data = copy.deepcopy(BASE)
    target = data
    *parents, last = path
    for p in parents:
        target = target[p]
    target[last] = value
    return data


@pytest.mark.parametrize("data,expected", [
    (variant(["services", 0, "prefix"], "AB"), "services[0].prefix: must be one capital letter"),
    (variant(["services", 0, "hours"], ["8:30"]), "services[0].hours[0]: must look like 08:30-11:30"),
    (variant(["services", 0, "daily_quota"], -3), "services[0].daily_quota: must be a whole number"),
    (variant(["windows", 0, "services"], ["X"]), "windows[0].services[0]: unknown service 'X'"),
    (variant(["timezone"], "Mars/Base"), "timezone: unknown time zone"),
    (variant(["code"], None), "code: is required"),
    (variant(["windows"], []), "windows: must be a non-empty list"),
])
def test_errors_name_file_field_and_problem(data, expected):
    with pytest.raises(ConfigError) as exc:
        parse_hall(data, "config/halls/t.yaml")
    assert str(exc.value).startswith("config/halls/t.yaml: ")
    assert expected in str(exc.value)


def test_duplicate_prefix_and_invalid_yaml(tmp_path):
    import copy
    data = copy.deepcopy(BASE)
    data["services"].append({"code": "T", "name": "另一个", "prefix": "A"})
    with pytest.raises(ConfigError, match=r"services\[1\].prefix: 'A' is already used"):
        parse_hall(data, "x.yaml")
    (tmp_path / "bad.yaml").write_text("code: [unclosed", "utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: not valid YAML"):
        load_halls(tmp_path)
