import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse

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
_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    500: "server_error",
}


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
        code = _CODES.get(status, "server_error" if status >= 500 else "error")
        message = {
            404: f"No API endpoint {request.path}",
            405: f"{request.method} is not allowed on {request.path}",
        }.get(status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "")
        body = JsonResponse({"code": code, "message": message, "details": {}}, status=status)
        if response.has_header("Allow"):
            body["Allow"] = response["Allow"]
        return body
