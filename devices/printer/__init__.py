"""Ticket printers: render a Slip to ESC/POS and print it through a pluggable driver."""

from devices.printer.driver import Printer, PrinterConfigError, PrintError
from devices.printer.registry import driver_names, make_printer, register_driver
from devices.printer.render import RenderOptions, render_slip
from devices.printer.slip import Slip
from devices.printer.status import PrinterStatus

__all__ = [
    "PrintError",
    "Printer",
    "PrinterConfigError",
    "PrinterStatus",
    "RenderOptions",
    "Slip",
    "driver_names",
    "make_printer",
    "register_driver",
    "render_slip",
]
