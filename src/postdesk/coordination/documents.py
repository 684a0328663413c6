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

from postdesk.coordination.models import Document, DocumentVersion
from postdesk.coordination.services import need_manage
from postdesk.core import audit
from postdesk.core.errors import Conflict, InvalidInput
from postdesk.core.models import AuditEntry

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
    audit.record(
        actor,
        document,
        AuditEntry.Action.CREATE if number == 1 else AuditEntry.Action.UPDATE,
        {"version": [number - 1 or None, number], "filename": [None, filename]},
        f"{document.title} v{number}",
    )
    return version


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
def add_version(document, *, file, actor) -> DocumentVersion:
    """The next version; the earlier ones stay as they were, downloadable."""
    need_manage(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    latest = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if latest >= MAX_VERSIONS:
        raise InvalidInput.field("file", f"A document keeps at most {MAX_VERSIONS} versions")
    return _store(document, latest + 1, file, actor)
