"""Slip: what a ticket shows, validated so nothing personal reaches paper."""

from __future__ import annotations

import dataclasses

import pytest

from devices.printer.slip import Slip

BASE = dict(hall_name="便民服务中心", number="A012", service_name="户籍办理", people_ahead=2, wait_minutes=10,
            issued_at="2024-05-06 09:30")


def test_materials_become_an_immutable_tuple() -> None:
    slip = Slip(**BASE, materials=["身份证", "照片"])
    assert slip.materials == ("身份证", "照片")
    with pytest.raises(dataclasses.FrozenInstanceError):
        slip.number = "B001"  # type: ignore[misc]


def test_texts_lists_every_printed_string(slip: Slip) -> None:
    texts = slip.texts()
    assert "A012" in texts and "社保业务办理" in texts and "身份证原件" in texts
    assert slip.qr_url in texts


@pytest.mark.parametrize("field,value", [
    ("notice", "身份证 110101199003071234"),
    ("notice", "身份证 11010119900307123X"),
    ("materials", ("联系电话 13800138000",)),
    ("qr_url", "https://x.cn/t?id=110101199003071234"),
])
def test_unmasked_id_or_phone_is_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError, match="unmasked"):
        Slip(**BASE, **{field: value})


def test_masked_values_are_accepted() -> None:
    slip = Slip(**BASE, holder="张*三", notice="110***********1234 / 138****8000")
    assert slip.holder == "张*三"


def test_holder_must_be_masked() -> None:
    with pytest.raises(ValueError, match="pre-masked"):
        Slip(**BASE, holder="张三丰")


@pytest.mark.parametrize("changes", [{"number": " "}, {"people_ahead": -1}, {"wait_minutes": -5}])
def test_nonsense_values_are_refused(changes: dict) -> None:
    with pytest.raises(ValueError):
        Slip(**{**BASE, **changes})


def test_unknown_wait_is_allowed() -> None:
    assert Slip(**{**BASE, "wait_minutes": None}).wait_minutes is None
