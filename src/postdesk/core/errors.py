"""Domain exceptions. Services raise these; postdesk.api maps them to HTTP in one place."""

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class InvalidInput(DomainError):
    """Well-formed input that breaks a rule (end before start, archived resource...)."""

    status = 422
    code = "invalid"

    @classmethod
    def field(cls, field: str, message: str) -> "InvalidInput":
        return cls(message, details={"fields": {field: [message]}})


# The one table of error codes for HTTP statuses that are not a DomainError's own: the
# API's handlers (postdesk/api.py) and the middleware that answers failures which never
# reached the API (core/middleware.py) both read it, so the two cannot drift apart.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",  # e.g. a session write without its CSRF token
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "throttled",
    500: "server_error",
}


def code_for_status(status: int) -> str:
    """The error code an HTTP status answers with: from ERROR_CODES, else by its class."""
    return ERROR_CODES.get(status, "server_error" if status >= 500 else "error")
