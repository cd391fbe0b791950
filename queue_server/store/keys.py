"""Every Redis key the product uses, built here and nowhere else.

Hall keys carry the hall as a hash tag (`qs:{demo}:…`) so one hall lives in one cluster slot and a
multi-key script stays legal.
"""

PREFIX = "qs"


def _hall(hall: str) -> str:
    return f"{PREFIX}:{{{hall}}}"


def ticket(hall: str, ticket_id: str) -> str:
    """Hash of one ticket."""
    return f"{_hall(hall)}:ticket:{ticket_id}"


def ticket_prefix(hall: str) -> str:
    """Prefix Lua appends a ticket id to when the ticket is only known inside the script."""
    return f"{_hall(hall)}:ticket:"


def waiting(hall: str, service: str) -> str:
    """Sorted set of waiting ticket ids of a service, scored by call order."""
    return f"{_hall(hall)}:waiting:{service}"


def waiting_prefix(hall: str) -> str:
    """Prefix Lua appends a service code to when the service is only known inside the script."""
    return f"{_hall(hall)}:waiting:"


def window(hall: str, code: str) -> str:
    """Hash with a window's live state."""
    return f"{_hall(hall)}:window:{code}"


def staff_index(hall: str) -> str:
    """Hash staff username -> window code, so one clerk holds one window."""
    return f"{_hall(hall)}:staff"


def seq(hall: str, day: str, service: str) -> str:
    """Daily number counter of a service (A001, A002, …)."""
    return f"{_hall(hall)}:seq:{day}:{service}"


def issue_order(hall: str) -> str:
    """Hall-wide counter giving every ticket its place in the call order."""
    return f"{_hall(hall)}:order"


def day_index(hall: str, day: str) -> str:
    """Sorted set of the day's ticket ids by issue time (the ledger's index)."""
    return f"{_hall(hall)}:day:{day}"


def day_stats(hall: str, day: str) -> str:
    """Hash of the day's counters per service (served, total wait and handling time)."""
    return f"{_hall(hall)}:stats:{day}"


def daily_summary(hall: str, day: str) -> str:
    """JSON figures of a closed day, kept for the ledger and reports."""
    return f"{_hall(hall)}:daily:{day}"


def events(hall: str) -> str:
    """The hall's event stream; entry ids are event ids."""
    return f"{_hall(hall)}:events"


def recent_calls(hall: str) -> str:
    """Capped list of the latest calls for the lobby."""
    return f"{_hall(hall)}:recent"


def reroutes(hall: str) -> str:
    """Hash service -> window currently taking that service's residents for an absent window."""
    return f"{_hall(hall)}:reroute"


def notices(hall: str) -> str:
    """List of marquee notices posted by managers."""
    return f"{_hall(hall)}:notices"


def alerts(hall: str) -> str:
    """Hash alert key -> JSON of the alerts currently raised in a hall."""
    return f"{_hall(hall)}:alerts"


def printers(hall: str) -> str:
    """Hash kiosk device name -> id of the printer that prints its tickets (registered by agents)."""
    return f"{_hall(hall)}:printers"


def print_queue(hall: str, printer: str) -> str:
    """RQ queue name of one printer's jobs."""
    return f"print:{hall}:{printer}"


def devices_state(hall: str) -> str:
    """Hash device id -> JSON hardware state reported by gateways."""
    return f"{_hall(hall)}:devices"


def user(username: str) -> str:
    """Hash of a user account (role, hall, password hash)."""
    return f"{PREFIX}:user:{username}"


def users() -> str:
    """Set of all usernames."""
    return f"{PREFIX}:users"


def device(name: str) -> str:
    """Hash of a registered device (kind, hall, token digest)."""
    return f"{PREFIX}:device:{name}"


def devices() -> str:
    """Set of all device names."""
    return f"{PREFIX}:devices"


def token(digest: str) -> str:
    """Hash describing who a bearer token belongs to, keyed by its SHA-256."""
    return f"{PREFIX}:token:{digest}"


def login_failures(subject: str) -> str:
    """Counter of recent failed logins for a username or an address."""
    return f"{PREFIX}:loginfail:{subject}"


def relay_lock() -> str:
    """Lock naming the one web process whose relay emits to clients."""
    return f"{PREFIX}:relay:lock"


def relay_cursor(hall: str) -> str:
    """Last event id the relay emitted for a hall, so a new leader resumes there."""
    return f"{PREFIX}:relay:cursor:{hall}"
