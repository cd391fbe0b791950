"""The simulated printer: decodes slips, writes PNGs, serves TCP like port 9100, reports healthy."""

from __future__ import annotations

import socket

import pytest
from PIL import Image

from devices.printer import make_printer
from devices.printer.simulator import PrinterSimulator, main
from devices.printer.status import query


@pytest.mark.parametrize("paper,width", [(58, 384), (80, 576)])
def test_simulated_driver_writes_a_png_with_number_and_service(tmp_path, slip, paper, width) -> None:
    printer = make_printer({"driver": "simulated", "out_dir": str(tmp_path / "prints"), "paper_mm": paper})
    status = printer.print_slip(slip)
    assert status.ok and status.checked
    [printed] = printer.backend.prints
    assert "A012" in printed.page.lines and "社保业务办理" in printed.page.lines
    assert printed.page.qr_codes == [slip.qr_url]
    assert printed.png is not None and printed.png.parent == tmp_path / "prints"
    assert printed.png.name.endswith("-A012.png")
    with Image.open(printed.png) as png:
        png.load()
        assert png.width == width and png.height > 300


def test_raster_slip_through_the_simulator(tmp_path, slip) -> None:
    printer = make_printer({"driver": "simulated", "out_dir": str(tmp_path), "mode": "raster"})
    printer.print_slip(slip)
    [printed] = printer.backend.prints
    assert [p.image.width for p in printed.page.pictures] == [576]
    assert printed.png.name.endswith("-slip.png")  # an image carries no text to name it by
    with Image.open(printed.png) as png:
        assert png.width == 576


def test_in_memory_simulator(slip) -> None:
    sim = PrinterSimulator(None, width_dots=384)
    link = sim.link()
    link.write(query(1) + query(4))
    assert link.read(8, 0.1) == b"\x12\x12"
    link.write(b"hello\n")
    link.close()  # no cut: the page still comes out
    [printed] = sim.prints
    assert printed.png is None and printed.page.lines == ["hello"] and printed.image.width == 384


def test_unwritable_folder_keeps_the_print(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    sim = PrinterSimulator(blocker / "prints")
    session = sim.session()
    session.feed(b"x\n\x1dV\x00")
    assert sim.prints[0].png is None and sim.prints[0].page.lines == ["x"]


def test_network_driver_prints_to_the_simulator_server(tmp_path, slip) -> None:
    sim = PrinterSimulator(tmp_path, width_dots=576)
    with sim.serve("127.0.0.1", 0) as server:
        host, port = server.address
        printer = make_printer({"driver": "network", "host": host, "port": port})
        assert printer.status().ok
        assert printer.print_slip(slip).ok
        [printed] = sim.wait_for_prints(1)
    assert printed.page.largest_text == "A012"
    assert printed.png is not None and printed.png.exists()


def test_server_answers_raw_status_queries(tmp_path) -> None:
    with PrinterSimulator(tmp_path).serve("127.0.0.1", 0) as server:
        with socket.create_connection(server.address, timeout=2) as conn:
            conn.sendall(query(1) + query(2) + query(3) + query(4))
            got = b""
            while len(got) < 4:
                chunk = conn.recv(4)
                assert chunk
                got += chunk
    assert got == b"\x12\x12\x12\x12"


def test_wait_for_prints_is_bounded(tmp_path) -> None:
    assert PrinterSimulator(tmp_path).wait_for_prints(1, timeout=0.05) == []


def test_cli_rejects_bad_arguments(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--paper-mm", "70"])
