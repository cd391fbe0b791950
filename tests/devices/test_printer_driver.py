"""Printer.print_bytes/print_slip/status: status before and after every job, typed PrintErrors, no hangs."""

from __future__ import annotations

import time

import pytest

from devices.printer import PrintError, make_printer
from devices.printer.fake import FakePrinter
from devices.printer.render import render_slip
from devices.printer.status import DLE_EOT, STATUS_PRESETS, query

ALL_QUERIES = [1, 2, 3, 4]


def job_bytes(received: bytes) -> bytes:
    """Return what the printer got besides status queries."""
    return received.replace(query(1), b"").replace(query(2), b"").replace(query(3), b"").replace(query(4), b"")


# ---- against the fake network printer (TCP 9100) ----

def test_normal_prints_and_checks_status_before_and_after(fake_printer, net_cfg, slip) -> None:
    fake = fake_printer("normal")
    printer = make_printer(net_cfg(fake))
    status = printer.print_slip(slip)
    assert status.ok and status.online
    pages = fake.wait_for_pages(1)
    assert "A012" in pages[0].lines and "社保业务办理" in pages[0].lines
    assert fake.queries == ALL_QUERIES + ALL_QUERIES
    assert job_bytes(fake.received) == render_slip(slip, printer.options)
    assert fake.received.startswith(DLE_EOT)  # status first, then the job


@pytest.mark.parametrize("state", ["paper_out", "offline", "cover_open", "cutter_error", "unrecoverable"])
def test_unready_printer_raises_before_sending_the_job(fake_printer, net_cfg, slip, state) -> None:
    fake = fake_printer(state)
    printer = make_printer(net_cfg(fake))
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert err.value.code == state
    assert err.value.stage == "before"
    assert err.value.status is not None and err.value.status.raw == STATUS_PRESETS[state]
    assert job_bytes(fake.received) == b""  # nothing was printed
    assert fake.pages == []


def test_paper_near_end_prints_and_warns(fake_printer, net_cfg, slip) -> None:
    fake = fake_printer("paper_near_end")
    status = make_printer(net_cfg(fake)).print_slip(slip)
    assert status.ok and status.paper_near_end
    assert len(fake.wait_for_pages(1)) == 1


def test_silent_printer_times_out_quickly(fake_printer, net_cfg, slip) -> None:
    fake = fake_printer(silent=True)
    printer = make_printer(net_cfg(fake, status_timeout=0.2))
    started = time.monotonic()
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert time.monotonic() - started < 2.0
    assert (err.value.code, err.value.stage) == ("timeout", "before")
    assert fake.queries == [1]  # gave up at the first unanswered query


def test_refused_port_is_unreachable(refused_port, slip) -> None:
    printer = make_printer({"driver": "network", "host": "127.0.0.1", "port": refused_port})
    started = time.monotonic()
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert (err.value.code, err.value.stage) == ("unreachable", "before")
    assert time.monotonic() - started < 2.0


def test_connection_dropped_mid_job_is_an_error_not_silent_success(fake_printer, net_cfg, slip) -> None:
    fake = fake_printer(drop_after=40)  # past the 12 query bytes, inside the job
    printer = make_printer(net_cfg(fake))
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert err.value.code == "disconnected"
    assert err.value.stage in ("during", "after")


def test_status_never_raises(fake_printer, net_cfg, refused_port) -> None:
    assert make_printer(net_cfg(fake_printer("cover_open"))).status().error == "cover_open"
    silent = make_printer(net_cfg(fake_printer(silent=True), status_timeout=0.2))
    assert silent.status().error == "timeout"
    gone = make_printer({"driver": "network", "host": "127.0.0.1", "port": refused_port})
    assert gone.status().error == "unreachable"


def test_each_job_uses_a_fresh_connection(fake_printer, net_cfg, slip) -> None:
    fake = fake_printer()
    printer = make_printer(net_cfg(fake))
    printer.print_slip(slip)
    printer.print_slip(slip)
    assert len(fake.wait_for_pages(2)) == 2
    assert fake.connections == 2


def test_printer_recovers_after_paper_is_refilled(fake_printer, net_cfg, slip) -> None:
    fake = fake_printer("paper_out")
    printer = make_printer(net_cfg(fake))
    with pytest.raises(PrintError):
        printer.print_slip(slip)
    fake.set_status("normal")
    assert printer.print_slip(slip).ok


def test_serial_driver_over_socket_url(fake_printer, slip) -> None:
    fake = fake_printer()
    host, port = fake.address
    printer = make_printer({"driver": "serial", "url": f"socket://{host}:{port}", "status_timeout": 1.0})
    assert printer.print_slip(slip).ok
    assert fake.wait_for_pages(1)[0].lines[3] == "A012"


def test_serial_driver_reports_paper_out(fake_printer, slip) -> None:
    fake = fake_printer("paper_out")
    host, port = fake.address
    printer = make_printer({"driver": "serial", "url": f"socket://{host}:{port}"})
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert err.value.code == "paper_out"


# ---- against the in-memory fake driver ----

def test_fault_appearing_during_the_job_is_caught_after(slip) -> None:
    fake = FakePrinter(fail_after_write="paper_out")
    printer = make_printer({"driver": "fake", "fake": fake})
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert (err.value.code, err.value.stage) == ("paper_out", "after")
    assert len(fake.jobs) == 1  # it was sent, so staff must check the slip


@pytest.mark.parametrize("failure,code", [("disconnected", "disconnected"), ("silent", "timeout"),
                                          ("unreachable", "disconnected")])
def test_printer_lost_mid_job_is_reported(slip, failure, code) -> None:
    printer = make_printer({"driver": "fake", "fail_after_write": failure})
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert (err.value.code, err.value.stage) == (code, "after")


def test_write_failure_is_during(slip) -> None:
    fake = FakePrinter()
    original = fake.open

    def open_then_unplug():
        link = original()
        fake.disconnected = True  # the cable comes out between connecting and sending
        return link

    fake.open = open_then_unplug  # type: ignore[method-assign]
    printer = make_printer({"driver": "fake", "fake": fake, "check_status": False})
    with pytest.raises(PrintError) as err:
        printer.print_slip(slip)
    assert (err.value.code, err.value.stage) == ("disconnected", "during")


def test_unreachable_fake(slip) -> None:
    printer = make_printer({"driver": "fake", "fake": FakePrinter(unreachable=True)})
    assert printer.status().error == "unreachable"
    with pytest.raises(PrintError) as err:
        printer.print_bytes(b"x")
    assert err.value.code == "unreachable"


def test_check_status_off_sends_no_queries(slip) -> None:
    fake = FakePrinter("paper_out")
    printer = make_printer({"driver": "fake", "fake": fake, "check_status": False})
    status = printer.print_slip(slip)
    assert status.ok and not status.checked
    assert fake.queries == []


def test_fake_decodes_printed_pages(slip) -> None:
    fake = FakePrinter()
    make_printer({"driver": "fake", "fake": fake}).print_slip(slip)
    assert fake.pages[0].qr_codes == [slip.qr_url]


def test_file_driver_writes_the_job_without_status(tmp_path, slip) -> None:
    path = tmp_path / "ticket.bin"
    printer = make_printer({"driver": "file", "path": str(path)})
    status = printer.print_slip(slip)
    assert not status.checked and status.ok
    assert path.read_bytes() == printer.render(slip)
    assert printer.status() == status


def test_print_error_repr() -> None:
    assert repr(PrintError("paper_out", "x", stage="before")) == "PrintError('paper_out', stage='before')"
