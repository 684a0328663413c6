import logging
import time

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
            '%s %s %s %.1fms user=%s',
            request.method,
            request.get_full_path(),
            response.status_code,
            elapsed_ms,
            who,
        )
        return response
