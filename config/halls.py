"""Load and validate hall definitions (config/halls/*.yaml) into domain objects.

Every error names the file, the field path and what is wrong, so an installer can fix it alone.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from queue_server.domain.errors import ConfigError
from queue_server.domain.hall import Hall, HallSettings, Service, ServiceGuide, TimeRange, Window

CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
PREFIX = re.compile(r"^[A-Z]$")
RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class _Ctx:
    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str):
        raise ConfigError(f"{self.source}: {path}: {problem}")

    def mapping(self, value, path):
        if not isinstance(value, dict):
            self.fail(path, f"must be a mapping, got {type(value).__name__}")
        return value

    def text(self, obj, key, path, *, required=True, default=""):
        value = obj.get(key, None)
        if value is None:
            if required:
                self.fail(f"{path}.{key}" if path else key, "is required")
            return default
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.fail(f"{path}.{key}" if path else key, f"must be text, got {type(value).__name__}")
        return str(value).strip()

    def code(self, obj, key, path):
        value = self.text(obj, key, path)
        if not CODE.match(value):
            self.fail(f"{path}.{key}", f"must be 1-32 letters, digits, '-' or '_', got {value!r}")
        return value

    def number(self, obj, key, path, *, default=None, minimum=0):
        value = obj.get(key, default)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.fail(f"{path}.{key}", f"must be a whole number >= {minimum}, got {value!r}")
        return value

    def strings(self, obj, key, path):
        value = obj.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.fail(f"{path}.{key}", "must be a list of text")
        return tuple(str(v).strip() for v in value)

    def time_range(self, value, path) -> TimeRange:
        m = RANGE.match(str(value).strip())
        if not m:
            self.fail(path, f"must look like 08:30-11:30, got {value!r}")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if not (h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60):
            self.fail(path, f"is not a valid time range: {value!r}")
        start = time(h1, m1)
        end = time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)
        if end <= start:
            self.fail(path, f"ends before it starts: {value!r}")
        return TimeRange(start, end)


def parse_hall(data, source: str) -> Hall:
    """Validate one hall definition (already parsed YAML) and build the Hall."""
    ctx = _Ctx(source)
    data = ctx.mapping(data, "(top level)")
    code = ctx.code(data, "code", "")
    name = ctx.text(data, "name", "")
    tz = ctx.text(data, "timezone", "", required=False, default="Asia/Shanghai")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        ctx.fail("timezone", f"unknown time zone {tz!r}")

    raw_services = data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        ctx.fail("services", "must be a non-empty list")
    services: dict[str, Service] = {}
    prefixes: dict[str, str] = {}
    for i, raw in enumerate(raw_services):
        path = f"services[{i}]"
        raw = ctx.mapping(raw, path)
        s_code = ctx.code(raw, "code", path)
        if s_code in services:
            ctx.fail(f"{path}.code", f"duplicate service code {s_code!r}")
        prefix = ctx.text(raw, "prefix", path)
        if not PREFIX.match(prefix):
            ctx.fail(f"{path}.prefix", f"must be one capital letter A-Z, got {prefix!r}")
        if prefix in prefixes:
            ctx.fail(f"{path}.prefix", f"{prefix!r} is already used by service {prefixes[prefix]!r}")
        prefixes[prefix] = s_code
        hours_raw = raw.get("hours") or []
        if isinstance(hours_raw, str):
            hours_raw = [h for h in hours_raw.split("|") if h.strip()]
        if not isinstance(hours_raw, list):
            ctx.fail(f"{path}.hours", "must be a list like ['08:30-11:30', '14:00-17:00']")
        hours = tuple(ctx.time_range(h, f"{path}.hours[{j}]") for j, h in enumerate(hours_raw))
        guide_raw = ctx.mapping(raw.get("guide") or {}, f"{path}.guide")
        guide = ServiceGuide(
            legal_basis=ctx.text(guide_raw, "legal_basis", f"{path}.guide", required=False),
            materials=ctx.strings(guide_raw, "materials", f"{path}.guide"),
            steps=ctx.strings(guide_raw, "steps", f"{path}.guide"),
            promised_time=ctx.text(guide_raw, "promised_time", f"{path}.guide", required=False),
            fee=ctx.text(guide_raw, "fee", f"{path}.guide", required=False),
        )
        quota = ctx.number(raw, "daily_quota", path, minimum=1)
        services[s_code] = Service(
            code=s_code, name=ctx.text(raw, "name", path), prefix=prefix, daily_quota=quota,
            hours=hours, guide=guide,
            avg_service_s=ctx.number(raw, "avg_service_s", path, default=300, minimum=1),
            wait_alert_s=ctx.number(raw, "wait_alert_s", path, default=1800, minimum=1),
            warn_waiting=ctx.number(raw, "warn_waiting", path, minimum=1),
        )

    raw_windows = data.get("windows")
    if not isinstance(raw_windows, list) or not raw_windows:
        ctx.fail("windows", "must be a non-empty list")
    windows: dict[str, Window] = {}
    for i, raw in enumerate(raw_windows):
        path = f"windows[{i}]"
        raw = ctx.mapping(raw, path)
        w_code = ctx.code(raw, "code", path)
        if w_code in windows:
            ctx.fail(f"{path}.code", f"duplicate window code {w_code!r}")
        served = ctx.strings(raw, "services", path)
        backup = ctx.strings(raw, "backup", path)
        if not served:
            ctx.fail(f"{path}.services", "must list at least one service")
        for key, listed in (("services", served), ("backup", backup)):
            for j, s in enumerate(listed):
                if s not in services:
                    ctx.fail(f"{path}.{key}[{j}]", f"unknown service {s!r} (known: {', '.join(services)})")
            if len(set(listed)) != len(listed):
                ctx.fail(f"{path}.{key}", "lists a service twice")
        staff = ctx.mapping(raw.get("staff") or {}, f"{path}.staff")
        roster = raw.get("roster", [1, 2, 3, 4, 5])
        if not isinstance(roster, list) or not all(isinstance(d, int) and 1 <= d <= 7 for d in roster):
            ctx.fail(f"{path}.roster", "must be a list of ISO weekdays 1-7 (1 = Monday)")
        windows[w_code] = Window(
            code=w_code, name=ctx.text(raw, "name", path), services=served, backup=backup,
            staff_a=ctx.text(staff, "a", f"{path}.staff", required=False) or None,
            staff_b=ctx.text(staff, "b", f"{path}.staff", required=False) or None,
            comprehensive=bool(raw.get("comprehensive", False)),
            roster=tuple(roster),
        )

    unserved = [s for s in services if not any(s in w.services for w in windows.values())]
    if unserved:
        ctx.fail("windows", f"no window serves {', '.join(unserved)} as a primary service")

    settings_raw = ctx.mapping(data.get("settings") or {}, "settings")
    defaults = HallSettings()
    opening = settings_raw.get("opening")
    settings = HallSettings(
        heartbeat_timeout_s=ctx.number(settings_raw, "heartbeat_timeout_s", "settings",
                                       default=defaults.heartbeat_timeout_s, minimum=1),
        max_pause_s=ctx.number(settings_raw, "max_pause_s", "settings", default=defaults.max_pause_s, minimum=1),
        open_grace_s=ctx.number(settings_raw, "open_grace_s", "settings", default=defaults.open_grace_s),
        near_turn=ctx.number(settings_raw, "near_turn", "settings", default=defaults.near_turn),
        recent_calls=ctx.number(settings_raw, "recent_calls", "settings", default=defaults.recent_calls, minimum=1),
        opening=ctx.time_range(opening, "settings.opening") if opening else None,
        b_post_wait_s=ctx.number(settings_raw, "b_post_wait_s", "settings", default=defaults.b_post_wait_s),
        day_close=_day_close(ctx, settings_raw.get("day_close", defaults.day_close)),
    )
    notices = ctx.strings(data, "notices", "")
    return Hall(code=code, name=name, timezone=tz, services=services, windows=windows,
                settings=settings, notices=notices, source=source)


def _day_close(ctx: _Ctx, value) -> str:
    if not isinstance(value, str) or not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", value):
        ctx.fail("settings.day_close", f"must look like 03:00, got {value!r}")
    return value


def load_file(path: Path) -> Hall:
    """Parse and validate one YAML hall file."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_hall(data, str(path))


def load_halls(folder: Path) -> dict[str, Hall]:
    """Load every *.yaml hall in a folder; hall codes must be unique."""
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise ConfigError(f"{folder}: no hall definitions (*.yaml) found")
    halls: dict[str, Hall] = {}
    for path in files:
        hall = load_file(path)
        if hall.code in halls:
            raise ConfigError(f"{path}: code: hall {hall.code!r} is already defined in {halls[hall.code].source}")
        halls[hall.code] = hall
    return halls
