"""Printer drivers by name: a config dict in, a ready Printer out (``make_printer(cfg)``)."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from devices.printer.driver import Printer, PrinterConfigError
from devices.printer.fake import FakePrinter
from devices.printer.link import FileLink, Link, SerialLink, SocketLink, UsbLink, usb_is_usable
from devices.printer.render import RenderOptions
from devices.printer.status import QUERIES

#: A driver turns a config into a link opener, plus an optional backend object (fake or simulator).
DriverFactory = Callable[[Mapping[str, Any], RenderOptions], tuple[Callable[[], Link], object]]

_SERIAL_PASSTHROUGH = ("rtscts", "dsrdtr", "xonxoff", "bytesize", "parity", "stopbits")


def _require(cfg: Mapping[str, Any], key: str) -> Any:
    if cfg.get(key) in (None, ""):
        raise PrinterConfigError(f"printer driver {cfg.get('driver')!r} needs {key!r}")
    return cfg[key]


def _int(value: Any) -> int:
    return int(value, 0) if isinstance(value, str) else int(value)


def _network(cfg: Mapping[str, Any], _: RenderOptions) -> tuple[Callable[[], Link], object]:
    host, port = str(_require(cfg, "host")), int(cfg.get("port", 9100))
    connect_timeout = float(cfg.get("connect_timeout", 2.0))
    write_timeout = float(cfg.get("write_timeout", 30.0))
    return (lambda: SocketLink(host, port, connect_timeout, write_timeout)), None


def _serial(cfg: Mapping[str, Any], _: RenderOptions) -> tuple[Callable[[], Link], object]:
    url = str(_require(cfg, "url"))
    kw = {k: cfg[k] for k in _SERIAL_PASSTHROUGH if k in cfg}
    kw["baudrate"] = int(cfg.get("baudrate", 9600))
    write_timeout = float(cfg.get("write_timeout", 30.0))
    return (lambda: SerialLink(url, write_timeout, **kw)), None


def _usb(cfg: Mapping[str, Any], _: RenderOptions) -> tuple[Callable[[], Link], object]:
    if not usb_is_usable():
        raise PrinterConfigError("the usb printer driver needs pyusb (pip install pyusb) and libusb")
    vid, pid = _int(_require(cfg, "vendor_id")), _int(_require(cfg, "product_id"))
    in_ep, out_ep = _int(cfg.get("in_ep", 0x82)), _int(cfg.get("out_ep", 0x01))
    timeout_ms = int(cfg.get("timeout_ms", 2000))
    return (lambda: UsbLink(vid, pid, timeout_ms, in_ep, out_ep)), None


def _file(cfg: Mapping[str, Any], _: RenderOptions) -> tuple[Callable[[], Link], object]:
    path = str(_require(cfg, "path"))
    return (lambda: FileLink(path)), None


def _simulated(cfg: Mapping[str, Any], options: RenderOptions) -> tuple[Callable[[], Link], object]:
    # Imported here so ``python -m devices.printer.simulator`` does not import itself twice.
    from devices.printer.simulator import PrinterSimulator

    sim = PrinterSimulator(cfg.get("out_dir", "var/prints"), width_dots=options.width_dots,
                           font_path=options.font_path)
    return sim.link, sim


def _fake(cfg: Mapping[str, Any], _: RenderOptions) -> tuple[Callable[[], Link], object]:
    fake = cfg.get("fake") or FakePrinter(cfg.get("status", "normal"), fail_after_write=cfg.get("fail_after_write"))
    if not isinstance(fake, FakePrinter):
        raise PrinterConfigError("'fake' must be a FakePrinter")
    return fake.open, fake


_DRIVERS: dict[str, DriverFactory] = {
    "network": _network,
    "serial": _serial,
    "usb": _usb,
    "file": _file,
    "simulated": _simulated,
    "fake": _fake,
}


def register_driver(name: str, factory: DriverFactory) -> None:
    """Add (or replace) a driver, e.g. a vendor plugin."""
    _DRIVERS[name] = factory


def driver_names() -> list[str]:
    """Return the names ``make_printer`` accepts."""
    return sorted(_DRIVERS)


def is_usable(name: str) -> bool:
    """Return True if the named driver's dependencies are installed."""
    if name == "usb":
        return usb_is_usable()
    return name in _DRIVERS


def make_printer(cfg: Mapping[str, Any]) -> Printer:
    """Build a Printer from a config dict; raise PrinterConfigError if the config cannot work.

    Common keys: ``driver``, ``name``, ``status_timeout`` (1.0 s), ``after_status_timeout`` (5.0 s),
    ``check_status`` (True), ``status_queries`` ([1, 2, 3, 4]) and the render keys of RenderOptions
    (``mode``, ``paper_mm`` or ``width_dots``, ``font_path``, ``profile``, ``number_scale``, ``qr_mode``,
    ``qr_module``, ``cut``). Driver keys:

    * network:   ``host``, ``port`` (9100), ``connect_timeout`` (2.0 s), ``write_timeout`` (30 s)
    * serial:    ``url`` (a pyserial URL), ``baudrate`` (9600), ``write_timeout``, ``rtscts``, ``dsrdtr``, ``xonxoff``
    * usb:       ``vendor_id``, ``product_id`` (int or "0x0416"), ``in_ep`` (0x82), ``out_ep`` (0x01), ``timeout_ms``
    * file:      ``path`` (write-only: no status checks)
    * simulated: ``out_dir`` ("var/prints"); a PrinterSimulator is the printer's ``backend``
    * fake:      ``status`` ("normal"), ``fail_after_write``, or ``fake`` (a FakePrinter to share with a test)
    """
    name = cfg.get("driver")
    factory = _DRIVERS.get(str(name))
    if factory is None:
        raise PrinterConfigError(f"unknown printer driver {name!r}; known: {', '.join(driver_names())}")
    try:
        options = RenderOptions.from_config(cfg)
        queries = tuple(int(n) for n in cfg.get("status_queries", QUERIES))
        if not queries or any(n not in QUERIES for n in queries):
            raise ValueError("status_queries must be a non-empty subset of 1..4")
        open_link, backend = factory(cfg, options)
        return Printer(
            str(cfg.get("name", name)),
            open_link,
            options,
            status_timeout=float(cfg.get("status_timeout", 1.0)),
            after_status_timeout=float(cfg.get("after_status_timeout", 5.0)),
            check_status=bool(cfg.get("check_status", True)),
            status_queries=queries,
            backend=backend,
        )
    except PrinterConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise PrinterConfigError(f"bad printer config: {exc}") from exc
