"""Domain errors, each carrying the stable error code and HTTP status the API reports."""


class BianminError(Exception):
    """Base of every error the API turns into {"error": {"code", "message"}}."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", **params):
        super().__init__(message or self.code)
        self.message = message or self.code
        self.params = params


class InvalidInput(BianminError):
    status, code = 400, "invalid"


class Unauthenticated(BianminError):
    status, code = 401, "unauthenticated"


class Forbidden(BianminError):
    status, code = 403, "forbidden"


class NotFound(BianminError):
    status, code = 404, "not_found"


class NoSuchHall(NotFound):
    code = "no_such_hall"


class NoSuchService(NotFound):
    code = "no_such_service"


class NoSuchWindow(NotFound):
    code = "no_such_window"


class NoSuchTicket(NotFound):
    code = "no_such_ticket"


class Conflict(BianminError):
    status, code = 409, "conflict"


class QuotaReached(Conflict):
    code = "quota_reached"


class OutsideHours(Conflict):
    code = "outside_hours"


class WindowNotOpen(Conflict):
    code = "window_not_open"


class WindowHeld(Conflict):
    code = "window_held"


class StaffElsewhere(Conflict):
    code = "staff_elsewhere"


class WrongTicketState(Conflict):
    code = "wrong_state"


class NoCurrentTicket(Conflict):
    code = "no_current_ticket"


class TooManyAttempts(BianminError):
    status, code = 429, "too_many_attempts"


class StoreUnavailable(BianminError):
    status, code = 503, "store_unavailable"


class ConfigError(Exception):
    """A hall definition is invalid; the message names the file, the field and the problem."""
