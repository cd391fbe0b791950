"""make_printer: drivers by name, validated configs, pluggable additions."""

from __future__ import annotations

import pytest

from devices.printer import PrinterConfigError, Printer, driver_names, make_printer, register_driver
from devices.printer import registry
from devices.printer.fake import FakePrinter
from devices.printer.simulator import PrinterSimulator


def test_known_drivers() -> None:
    assert {"network", "serial", "usb", "file", "simulated", "fake"} <= set(driver_names())


def test_config_values_reach_the_printer() -> None:
    printer = make_printer({"driver": "network", "host": "10.0.0.5", "name": "kiosk-1", "paper_mm": 58,
                            "mode": "raster", "status_timeout": 0.5, "after_status_timeout": 3,
                            "status_queries": [1, 4]})
    assert isinstance(printer, Printer)
    assert printer.name == "kiosk-1" and repr(printer) == "Printer('kiosk-1')"
    assert printer.options.width_dots == 384 and printer.options.mode == "raster"
    assert (printer.status_timeout, printer.after_status_timeout) == (0.5, 3.0)
    assert printer.status_queries == (1, 4)


def test_name_defaults_to_driver() -> None:
    assert make_printer({"driver": "fake"}).name == "fake"


@pytest.mark.parametrize("cfg,match", [
    ({"driver": "laser"}, "unknown printer driver"),
    ({}, "unknown printer driver"),
    ({"driver": "network"}, "needs 'host'"),
    ({"driver": "serial"}, "needs 'url'"),
    ({"driver": "file"}, "needs 'path'"),
    ({"driver": "fake", "mode": "pdf"}, "bad printer config"),
    ({"driver": "fake", "status_queries": [5]}, "bad printer config"),
    ({"driver": "fake", "status_queries": []}, "bad printer config"),
    ({"driver": "fake", "fake": object()}, "must be a FakePrinter"),
    ({"driver": "fake", "fail_after_write": "meteor"}, "bad printer config"),
])
def test_bad_configs_fail_when_made(cfg: dict, match: str) -> None:
    with pytest.raises(PrinterConfigError, match=match):
        make_printer(cfg)


def test_usb_without_pyusb_is_a_config_error(monkeypatch) -> None:
    monkeypatch.setattr(registry, "usb_is_usable", lambda: False)
    with pytest.raises(PrinterConfigError, match="pyusb"):
        make_printer({"driver": "usb", "vendor_id": "0x0416", "product_id": "0x5011"})
    assert registry.is_usable("usb") is False


def test_usb_with_pyusb_builds_lazily(monkeypatch) -> None:
    monkeypatch.setattr(registry, "usb_is_usable", lambda: True)
    printer = make_printer({"driver": "usb", "vendor_id": "0x0416", "product_id": 0x5011})
    assert printer.name == "usb"  # nothing opened until the first job


def test_fake_and_simulated_expose_their_backend(tmp_path) -> None:
    fake = FakePrinter()
    assert make_printer({"driver": "fake", "fake": fake}).backend is fake
    sim = make_printer({"driver": "simulated", "out_dir": str(tmp_path), "paper_mm": 58}).backend
    assert isinstance(sim, PrinterSimulator) and sim.width_dots == 384


def test_register_a_plugin_driver(monkeypatch, slip) -> None:
    monkeypatch.setattr(registry, "_DRIVERS", dict(registry._DRIVERS))
    shared = FakePrinter()
    register_driver("vendor-x", lambda cfg, options: (shared.open, shared))
    assert "vendor-x" in driver_names()
    assert make_printer({"driver": "vendor-x"}).print_slip(slip).ok
    assert len(shared.jobs) == 1
    assert registry.is_usable("vendor-x") and not registry.is_usable("nope")
