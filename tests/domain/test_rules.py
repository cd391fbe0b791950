"""Pure rules: masking, numbers, call-order scores, estimates and access."""

import pytest

from queue_server.domain import access, policy
from queue_server.domain.access import Actor
from queue_server.domain.errors import Forbidden
from queue_server.domain.mask import mask_id_number, mask_name, mask_phone
from queue_server.domain.ticket import Priority, format_number, order_score


def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_phone("13812341234") == "138****1234"


def test_numbers_and_scores():
    assert format_number("A", 1) == "A001" and format_number("A", 1234) == "A1234"
    assert order_score(Priority.GREEN, 999) < order_score(Priority.NORMAL, 1)
    assert order_score(Priority.NORMAL, 5) < order_score(Priority.NORMAL, 6)


def test_estimate_shares_work_across_open_windows():
    assert policy.estimate_wait_s(0, 300, 1) == 0
    assert policy.estimate_wait_s(4, 300, 2) == 600
    assert policy.estimate_wait_s(4, 300, 0) == 1200


def test_access_rules():
    clerk = Actor("c", "clerk", "demo")
    assert access.window_staff(clerk, "demo") == "c"
    assert access.window_staff(Actor("m", "manager", "demo"), "demo") == ""
    with pytest.raises(Forbidden):
        access.window_staff(Actor("k", "device", "demo", "kiosk"), "demo")
    with pytest.raises(Forbidden):
        access.require_issuer(Actor("d", "device", "demo", "display"), "demo")
    with pytest.raises(Forbidden):
        access.require_staff(Actor("m", "manager", "other"), "demo")
    access.require_manager(Actor("a", "admin"), "demo")
