"""The import page: upload a catalogue, map its columns to fields, see the dry run's
report row by row, then import it all (or nothing).

The upload is kept through the storage API (under a generated name, never the user's)
between the steps, and only the session that uploaded it can reach it; it is deleted
once imported.
"""

import re
import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from postdesk.core.errors import DomainError, InvalidInput
from postdesk.core.roles import MANAGE_LIBRARY, MOVE_MEDIA, can
from postdesk.library import import_checks
from postdesk.library.importing import import_catalogue
from postdesk.web.access import capability_required

SESSION_KEY = "library_imports"
TOKEN = re.compile(r"[0-9a-f]{32}")
# The report table shows the rows with errors first, then this many of the rest.
OK_ROWS_SHOWN = 200


def _nav(request) -> dict:
    return {
        "can_move": can(request.user, MOVE_MEDIA),
        "can_change": can(request.user, MANAGE_LIBRARY),
    }


@capability_required(MANAGE_LIBRARY)
def upload(request):
    error = ""
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            if file is None:
                raise InvalidInput.field("file", "Choose a CSV or XLSX file")
            if file.size > import_checks.FILE_MAX_BYTES:
                raise InvalidInput.field("file", "The file is too large")
            data, name = file.read(), (file.name or "catalogue.csv")[:200]
            import_checks.read_table(data, name)  # refuse an unreadable file now
        except InvalidInput as exc:
            error = exc.message
        else:
            token = uuid.uuid4().hex
            stored = default_storage.save(f"library-imports/{token}", ContentFile(data))
            request.session[SESSION_KEY] = {
                **request.session.get(SESSION_KEY, {}),
                token: {"stored": stored, "name": name},
            }
            return redirect("library_import:map", token=token)
    return render(
        request,
        "library/import_upload.html",
        {"error": error, **_nav(request)},
        status=422 if error else 200,
    )


def _upload_of(request, token: str) -> tuple[dict, bytes]:
    held = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.fullmatch(token) else None
    if held is None or not default_storage.exists(held["stored"]):
        raise Http404("No such upload; upload the file again")
    with default_storage.open(held["stored"], "rb") as stored:
        return held, stored.read()


def _forget(request, token: str, held: dict) -> None:
    default_storage.delete(held["stored"])
    uploads = dict(request.session.get(SESSION_KEY, {}))
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads


@capability_required(MANAGE_LIBRARY)
def map_and_check(request, token: str):
    held, data = _upload_of(request, token)
    table = import_checks.read_table(data, held["name"])
    if request.method == "POST":
        mapping = {h: request.POST.get(f"col-{i}", "") for i, h in enumerate(table.headers)}
    else:
        mapping = import_checks.suggest_mapping(table.headers)
    context = {
        "name": held["name"],
        "row_count": len(table.rows),
        "columns": [(i, h, mapping.get(h, "")) for i, h in enumerate(table.headers)],
        "fields": list(import_checks.FIELDS.items()),
        "required": import_checks.REQUIRED,
        "error": "",
        "report": None,
        **_nav(request),
    }
    if request.method == "POST":
        real = request.POST.get("action") == "import"
        try:
            report = import_catalogue(
                actor=request.user,
                data=data,
                filename=held["name"],
                mapping=mapping,
                dry_run=not real,
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            if real and report.ok:
                _forget(request, token, held)
                messages.success(request, f"Imported {report.imported} items from {held['name']}.")
                return redirect(reverse("library:media"))
            rows = report.as_dict()["report"]
            bad = [r for r in rows if r["status"] == "error"]
            context["report"] = {
                "ok": report.ok,
                "rows": len(rows),
                "error_rows": len(bad),
                "shown": bad + [r for r in rows if r["status"] == "ok"][:OK_ROWS_SHOWN],
            }
    return render(
        request, "library/import_map.html", context, status=422 if context["error"] else 200
    )


app_name = "library_import"

urlpatterns = [
    path("import/", upload, name="upload"),
    path("import/<str:token>/", map_and_check, name="map"),
]
