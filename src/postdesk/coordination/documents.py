"""Versioned documents per production, stored through Django's storage API.

A new version is a new stored file under a name made here
(`coordination/documents/<production>/<document>/v<n>-<random><ext>`), so nothing ever
overwrites an earlier version and no path comes from the user. The content type is read
from the file's first bytes (the browser's claim is not trusted), checked against the
extension, and each upload is bounded in size.
"""

import hashlib
import os
import re
import secrets

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from postdesk.coordination.models import Document, DocumentVersion
from postdesk.coordination.services import need_manage
from postdesk.core import audit
from postdesk.core.errors import Conflict, InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import require_date_in_window

MAX_BYTES = 20 * 1024 * 1024
MAX_VERSIONS = 100
# extension -> content type; the bytes must agree (see `sniff`).
TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".edl": "text/plain",
}
TEXT = {".txt", ".csv", ".edl"}
REQUEST_FIELDS = [
    "version_requested_at",
    "version_requested_by",
    "version_request_reason",
    "version_wanted_by",
]
ZIP = {".docx", ".xlsx"}


def clean_filename(name: str) -> str:
    """The uploaded name's last part, reduced to safe characters (shown, never a path)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .")
    return base[:200] or "document"


def sniff(head: bytes, extension: str) -> str:
    """The content type of a file with this extension whose first bytes are `head`, or a
    422 naming what is wrong."""
    if extension not in TYPES:
        allowed = ", ".join(sorted(TYPES))
        raise InvalidInput.field("file", f"Upload one of these kinds of file: {allowed}")
    if extension == ".pdf" and not head.startswith(b"%PDF-"):
        raise InvalidInput.field("file", "This is not a PDF")
    if extension in ZIP and not head.startswith(b"PK\x03\x04"):
        raise InvalidInput.field("file", f"This is not a {extension[1:]} file")
    if extension in TEXT:
        if b"\x00" in head:
            raise InvalidInput.field("file", "A text file may not hold binary data")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The head may cut a character in two at its end: only a fault before that counts.
            if exc.start < len(head) - 3:
                raise InvalidInput.field("file", "A text file must be UTF-8") from exc
    return TYPES[extension]


def _store(document: Document, number: int, upload, actor) -> DocumentVersion:
    size = getattr(upload, "size", None)
    if size is None or size <= 0:
        raise InvalidInput.field("file", "The file is empty")
    if size > MAX_BYTES:
        raise InvalidInput.field(
            "file", f"A document may be at most {MAX_BYTES // (1024 * 1024)} MB"
        )
    filename = clean_filename(getattr(upload, "name", ""))
    extension = os.path.splitext(filename)[1].lower()
    upload.seek(0)
    content_type = sniff(upload.read(2048), extension)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (
        f"coordination/documents/{document.production_id}/{document.pk}/"
        f"v{number}-{secrets.token_hex(8)}{extension}"
    )
    stored = default_storage.save(name, File(upload))
    version = DocumentVersion(
        document=document,
        number=number,
        file=stored,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:
        default_storage.delete(stored)
        raise Conflict("Another version was uploaded at the same moment; try again") from exc
    changes = {"version": [number - 1 or None, number], "filename": [None, filename]}
    if document.version_requested_at is not None:
        # The version asked for has come: the request is met.
        changes["version_request_reason"] = [document.version_request_reason, ""]
        _clear_request(document)
    audit.record(
        actor,
        document,
        AuditEntry.Action.CREATE if number == 1 else AuditEntry.Action.UPDATE,
        changes,
        f"{document.title} v{number}",
    )
    return version


def _clear_request(document: Document) -> None:
    document.version_requested_at = None
    document.version_requested_by = None
    document.version_request_reason = ""
    document.version_wanted_by = None
    document.save(update_fields=REQUEST_FIELDS)


@transaction.atomic
def upload_document(*, production, kind: str, title: str, file, actor) -> DocumentVersion:
    """A new document of the production, with its first version."""
    need_manage(actor)
    if kind not in Document.Kind.values:
        raise InvalidInput.field("kind", f"kind must be one of {', '.join(Document.Kind.values)}")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput.field("title", "A title of 1 to 200 characters")
    if Document.objects.filter(production=production, title=title).exists():
        raise Conflict(f"{production.title} has a document called {title!r}: add a version to it")
    document = Document.objects.create(production=production, kind=kind, title=title)
    return _store(document, 1, file, actor)


@transaction.atomic
def request_version(document, *, reason: str, actor, wanted_by=None) -> Document:
    """Ask for a new version of the document (why, and by when if it matters): it waits
    on the coordinator's desk until one is uploaded. Asking again replaces the request."""
    need_manage(actor)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise InvalidInput.field("reason", "Say why a new version is needed (1 to 300 characters)")
    wanted_by = None if wanted_by is None else require_date_in_window(wanted_by, "wanted_by")
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = audit.snapshot(document, REQUEST_FIELDS)
    document.version_requested_at = timezone.now()
    document.version_requested_by = actor
    document.version_request_reason = reason
    document.version_wanted_by = wanted_by
    document.save(update_fields=REQUEST_FIELDS)
    audit.record(
        actor,
        document,
        AuditEntry.Action.UPDATE,
        audit.diff(before, audit.snapshot(document, REQUEST_FIELDS)),
        f"New version of {document.title} requested",
    )
    return document


@transaction.atomic
def withdraw_request(document, *, actor) -> Document:
    """The new version is no longer needed."""
    need_manage(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.version_requested_at is None:
        raise Conflict(f"No new version of {document.title} is waiting")
    before = audit.snapshot(document, REQUEST_FIELDS)
    _clear_request(document)
    audit.record(
        actor,
        document,
        AuditEntry.Action.UPDATE,
        audit.diff(before, audit.snapshot(document, REQUEST_FIELDS)),
        f"Request for a new version of {document.title} withdrawn",
    )
    return document


@transaction.atomic
def add_version(document, *, file, actor) -> DocumentVersion:
    """The next version; the earlier ones stay as they were, downloadable."""
    need_manage(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    latest = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if latest >= MAX_VERSIONS:
        raise InvalidInput.field("file", f"A document keeps at most {MAX_VERSIONS} versions")
    return _store(document, latest + 1, file, actor)
