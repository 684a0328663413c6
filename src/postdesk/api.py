"""The REST API root: /api/v1/. Every failure answers {"code", "message", "details"}."""

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from postdesk.billing.api import router as billing_router
from postdesk.coordination.adr_api import router as adr_router
from postdesk.coordination.api import router as coordination_router
from postdesk.coordination.document_api import router as document_router
from postdesk.coordination.edl_api import router as edl_router
from postdesk.coordination.screening_api import router as screening_router
from postdesk.core.api import router as core_router
from postdesk.core.apiutil import API_AUTH, ORJSONRenderer
from postdesk.core.errors import DomainError, InvalidInput, code_for_status
from postdesk.engineering.api import router as engineering_router
from postdesk.frontdesk.accident_api import router as accident_router
from postdesk.frontdesk.api import router as frontdesk_router
from postdesk.frontdesk.catering_api import router as catering_router
from postdesk.frontdesk.message_api import router as message_router
from postdesk.frontdesk.rollcall_api import router as rollcall_router
from postdesk.frontdesk.supplies_api import router as supplies_router
from postdesk.frontdesk.traffic_api import router as traffic_router
from postdesk.frontdesk.visitor_api import router as visitor_router
from postdesk.library.api import router as library_router
from postdesk.library.import_api import router as library_import_router
from postdesk.library.label_api import router as library_label_router
from postdesk.notifications.api import router as notifications_router
from postdesk.portal.api import router as portal_router
from postdesk.portal.portal_api import router as portal_client_router
from postdesk.productions.api import router as productions_router
from postdesk.reports.api import router as reports_router
from postdesk.scheduling.api import router as scheduling_router

api = NinjaAPI(
    title="postdesk API",
    version="1",
    description=(
        "Bookings and administration for a post-production facility. Authenticate with "
        "`Authorization: Bearer <token>` (create one with `postdesk token USERNAME`) or "
        "the web session. Times are ISO 8601 with an offset. Errors are "
        '`{"code", "message", "details"}`.'
    ),
    auth=API_AUTH,
    renderer=ORJSONRenderer(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, code: str | None, message: str, details=None):
    """The error body; `code` None takes the status's code from core/errors.ERROR_CODES,
    the one table of them."""
    code = code or code_for_status(status)
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "body", []).append(err.get("msg", "invalid"))
    first = next(iter(fields.items()))
    return error(
        request,
        422,
        InvalidInput.code,
        f"Invalid input: {first[0]}: {first[1][0]}",
        {"fields": fields},
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(
        request,
        401,
        None,
        "Sign in, or send a valid API token as 'Authorization: Bearer <token>'",
    )


@api.exception_handler(AuthorizationError)
def on_unauthorised(request, exc):
    return error(request, 403, None, str(exc) or "Forbidden")


@api.exception_handler(DjangoPermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, None, str(exc) or "Forbidden")


@api.exception_handler(Http404)
def on_404(request, exc):
    return error(request, 404, None, str(exc) or "Not found")


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request, exc):
    return error(request, 404, None, str(exc) or "Not found")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return error(request, 413, None, "The request body is too large")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error(request, exc.status_code, code_for_status(exc.status_code), str(exc))


api.add_router("/", core_router)
api.add_router("/", productions_router)
api.add_router("/", scheduling_router)
api.add_router("/", billing_router)
# Before the library's own router: its /media/{media_id} would take /media/import and
# /media/labels otherwise.
api.add_router("/", library_import_router)
api.add_router("/", library_label_router)
api.add_router("/", library_router)
api.add_router("/", engineering_router)
api.add_router("/", frontdesk_router)
api.add_router("/", visitor_router)
api.add_router("/", rollcall_router)
api.add_router("/", message_router)
api.add_router("/", traffic_router)
api.add_router("/", accident_router)
api.add_router("/", catering_router)
api.add_router("/", supplies_router)
api.add_router("/", coordination_router)
api.add_router("/", document_router)
api.add_router("/", edl_router)
api.add_router("/", adr_router)
api.add_router("/", screening_router)
api.add_router("/", portal_router)
api.add_router("/", portal_client_router)
api.add_router("/", notifications_router)
api.add_router("/", reports_router)
