"""QR codes as SVG, drawn on the server so the kiosk needs no JavaScript QR library and no network."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import Response, abort, current_app, request

from . import bp

# A ticket URL is under 100 characters; the cap keeps the route from being a free QR service.
MAX_DATA = 300


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_base() -> str:
    """The base URL a resident's phone can reach: PUBLIC_URL unless it is loopback, else this request's host."""
    configured = current_app.extensions["bianmin"].settings.public_url or ""
    if configured and not _loopback(configured):
        return configured.rstrip("/")
    return request.host_url.rstrip("/")


def svg(data: str) -> str:
    """An SVG QR code (medium error correction survives a creased or smudged slip)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2,
                         image_factory=qrcode.image.svg.SvgPathFillImage)
    code.add_data(data)
    code.make(fit=True)
    text = code.make_image().to_string(encoding="unicode")
    # The factory sizes the image in millimetres; let CSS size it instead.
    head, _, rest = text.partition("version=")
    head = head.split(" width=")[0] + " "
    return head + 'width="100%" height="100%" version=' + rest


@bp.get("/qr.svg")
def qr_svg():
    """QR of `data`; a path (starting with /) is made absolute with the hall's public base URL."""
    data = request.args.get("data", "")
    if not data or len(data) > MAX_DATA:
        abort(400)
    if data.startswith("/"):
        data = public_base() + data
    response = Response(svg(data), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
