import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from psycopg import errors as pg_errors

from postdesk.core.errors import code_for_status

logger = logging.getLogger("postdesk.request")


class RequestLogMiddleware:
    """One line per request on stdout: method, path, status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "-"
        logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            request.get_full_path(),
            response.status_code,
            elapsed_ms,
            who,
        )
        return response


API_PREFIX = "/api/"


class ApiErrorBodyMiddleware:
    """Failures under /api/ that never reached the API's own handlers (an unknown path, a
    method the path does not take, a server error) still answer {"code","message","details"}.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
            # A developer with DEBUG on wants Django's technical page for a crash.
            or (response.status_code >= 500 and settings.DEBUG)
        ):
            return response
        status = response.status_code
        code = code_for_status(status)
        message = {
            404: f"No API endpoint {request.path}",
            405: f"{request.method} is not allowed on {request.path}",
        }.get(status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "")
        body = JsonResponse({"code": code, "message": message, "details": {}}, status=status)
        if response.has_header("Allow"):
            body["Allow"] = response["Allow"]
        return body


class NoStoreMiddleware:
    """Pages and API answers carry bookings, money and people's details: no cache, the
    browser's or a proxy's, may keep them ("Cache-Control: no-store"). Static files keep
    their own caching (WhiteNoise sets it). A view that sets Cache-Control itself keeps
    its own: Django's never_cache pages, and the board's poll, which answers
    "private, no-cache" so that a stored copy is revalidated with If-None-Match (a 304
    from two aggregate queries) rather than dropped, which is what no-store would make a
    browser do; "private" still keeps it out of shared caches. (The board's own script
    sends If-None-Match from memory and asks fetch not to store it either.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and not request.path.startswith(
            settings.STATIC_URL
        ):
            response["Cache-Control"] = "no-store"
        return response


def _is_query_cancelled(exc: BaseException | None) -> bool:
    """Whether PostgreSQL cancelled a statement (statement_timeout): psycopg's
    QueryCanceled, as raised, or wrapped by Django's database error."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, pg_errors.QueryCanceled):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class QueryCancelledMiddleware:
    """A statement the database cancelled for taking too long (settings:
    POSTDESK_STATEMENT_TIMEOUT_MS) answers 503, for pages and API alike, in one place:
    the server is busy, not broken, and the client may try again."""

    MESSAGE = "The database took too long to answer; please try again in a moment"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_query_cancelled(exception):
            return None
        logger.warning("%s %s: statement cancelled (timeout)", request.method, request.path)
        if request.path.startswith(API_PREFIX):
            response = JsonResponse(
                {"code": "timeout", "message": self.MESSAGE, "details": {}}, status=503
            )
        else:
            response = HttpResponse(self.MESSAGE, status=503, content_type="text/plain")
        response["Retry-After"] = "5"
        return response


class MoneyLocaleMiddleware:
    """Every amount a request shows is written in the facility's locale, read at most once
    per request (core/money_display.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from postdesk.core.money_display import locale_scope

        with locale_scope():
            return self.get_response(request)
