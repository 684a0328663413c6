"""API for importing a catalogue: `POST /api/v1/media/import?dry_run=true|false` with the
file (CSV or XLSX) and the column mapping, answering the per-row report."""

import json
from typing import Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router
from ninja.files import UploadedFile

from postdesk.core.apiutil import OutSchema, QuerySchema, require, shown
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import MANAGE_LIBRARY
from postdesk.library import import_checks
from postdesk.library.importing import import_catalogue

router = Router(tags=["library"])

MAPPING_MAX = 20_000  # characters of the mapping's JSON: 100 columns with long headers
FILENAME_MAX = 200


class MediaImportQuery(QuerySchema):
    dry_run: bool = True


class ImportErrorOut(OutSchema):
    field: str
    message: str


class ImportRowOut(OutSchema):
    line: int = Field(..., description="The row's line in the file")
    barcode: str
    status: Literal["ok", "error"]
    errors: list[ImportErrorOut]


class ImportReportOut(OutSchema):
    dry_run: bool
    ok: bool = Field(..., description="Every row can be (or was) imported")
    rows: int
    error_rows: int
    imported: int
    generated_barcodes: int = Field(..., description="Rows given a LIB- barcode of their own")
    report: list[ImportRowOut]
    mapping: dict[str, str | None] = Field(..., description="The mapping used: header: field")


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
    response={200: ImportReportOut, 201: ImportReportOut},
    summary="Import a catalogue (CSV or XLSX): a dry run reports every row; the real "
    "import is all or nothing (422 with the same report when any row is wrong)",
)
def media_import(
    request: HttpRequest,
    query: Query[MediaImportQuery],
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
        return shown(ImportReportOut, body)
    if not report.ok:
        raise InvalidInput(
            f"{report.error_rows} of {len(report.rows)} rows are wrong; nothing was imported",
            details=body,
        )
    return shown(ImportReportOut, body, 201)
