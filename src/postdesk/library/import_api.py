"""API for importing a catalogue: `POST /api/v1/media/import?dry_run=true|false` with the
file (CSV or XLSX) and the column mapping, answering the per-row report."""

import json

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from postdesk.core.apiutil import QuerySchema, json_response, require
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import MANAGE_LIBRARY
from postdesk.library import import_checks
from postdesk.library.importing import import_catalogue

router = Router(tags=["library"])

MAPPING_MAX = 20_000  # characters of the mapping's JSON: 100 columns with long headers
FILENAME_MAX = 200


class ImportQuery(QuerySchema):
    dry_run: bool = True


def parse_mapping(text: str) -> dict[str, str] | None:
    """The mapping as sent: a JSON object {"header": "field"}; blank: guessed from the
    headers (suggest_mapping)."""
    if not text.strip():
        return None
    if len(text) > MAPPING_MAX:
        raise InvalidInput.field("mapping", f"The mapping is over {MAPPING_MAX} characters")
    try:
        mapping = json.loads(text)
    except ValueError as exc:
        raise InvalidInput.field(
            "mapping", "The mapping is a JSON object of header: field"
        ) from exc
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str | None) for k, v in mapping.items()
    ):
        raise InvalidInput.field("mapping", "The mapping is a JSON object of header: field")
    return mapping


def read_upload(file: UploadedFile) -> tuple[bytes, str]:
    if file.size is None or file.size > import_checks.FILE_MAX_BYTES:
        raise InvalidInput.field(
            "file", f"The file is over {import_checks.FILE_MAX_BYTES // 2**20} MB"
        )
    name = (file.name or "")[:FILENAME_MAX]
    return file.read(), name


@router.post(
    "/media/import",
    response={200: dict, 201: dict},
    summary="Import a catalogue (CSV or XLSX): a dry run reports every row; the real "
    "import is all or nothing (422 with the same report when any row is wrong)",
)
def media_import(
    request: HttpRequest,
    query: Query[ImportQuery],
    file: File[UploadedFile],
    mapping: Form[str] = "",
):
    require(request, MANAGE_LIBRARY)
    data, name = read_upload(file)
    given = parse_mapping(mapping)
    if given is None:
        given = import_checks.suggest_mapping(import_checks.read_table(data, name).headers)
    report = import_catalogue(
        actor=request.user, data=data, filename=name, mapping=given, dry_run=query.dry_run
    )
    body = report.as_dict() | {"mapping": given}
    if query.dry_run:
        return json_response(body)
    if not report.ok:
        raise InvalidInput(
            f"{report.error_rows} of {len(report.rows)} rows are wrong; nothing was imported",
            details=body,
        )
    return json_response(body, status=201)
