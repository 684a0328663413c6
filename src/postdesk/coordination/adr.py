"""ADR sessions and their cue lists: booking the stage and the mixer in one booking
through the scheduling service, importing cues from CSV (with a dry run that reports
every bad row, timecodes checked through engineering's timecode module), marking cues
recorded, and the cue sheet PDF."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string

from postdesk.coordination.models import AdrSession, Cue
from postdesk.coordination.services import need_manage
from postdesk.core import audit, crud
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.engineering import timecode as tc
from postdesk.scheduling.models import Resource
from postdesk.scheduling.services import create_booking

MAX_CUES = 2000
MAX_CSV_BYTES = 1024 * 1024
COLUMNS = ("cue", "character", "tc_in", "tc_out", "line")


@transaction.atomic
def book_session(
    *,
    job,
    stage,
    mixer,
    start,
    end,
    talent: str,
    actor,
    character: str = "",
    agent_contact: str = "",
    agent_email: str = "",
    remote: bool = False,
    remote_studio: str = "",
    rate: str = "25",
) -> AdrSession:
    """One booking of the stage and the mixer for the talent; a remote session names the
    studio the talent records from."""
    need_manage(actor)
    if stage.kind != Resource.Kind.ROOM:
        raise InvalidInput.field("stage", f"{stage.name} is not a room")
    if mixer.kind != Resource.Kind.PERSON:
        raise InvalidInput.field("mixer", f"{mixer.name} is not a person")
    if remote and not remote_studio.strip():
        raise InvalidInput.field("remote_studio", "A remote session names the remote studio")
    agent_email = clean_agent_email(agent_email)
    if rate not in tc.RATE_NAMES:
        raise InvalidInput.field("rate", f"rate must be one of {', '.join(tc.RATE_NAMES)}")
    booking = create_booking(
        job=job, resources=[stage, mixer], start=start, end=end, title=f"ADR: {talent}", actor=actor
    )
    return crud.create(
        AdrSession,
        actor=actor,
        production=job.production,
        booking=booking,
        talent=talent,
        character=character,
        agent_contact=agent_contact,
        agent_email=agent_email,
        remote=remote,
        remote_studio=remote_studio if remote else "",
        rate=rate,
    )


def clean_agent_email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput.field("agent_email", f"{value!r} is not an email address") from None
    return value


def _rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in fields]
    if missing:
        raise InvalidInput.field(
            "file", f"The CSV needs the columns {', '.join(COLUMNS)}; missing {', '.join(missing)}"
        )
    reader.fieldnames = fields
    rows = []
    for row in reader:
        if len(rows) >= MAX_CUES:
            raise InvalidInput.field("file", f"A cue list has at most {MAX_CUES} cues")
        rows.append({k: (row.get(k) or "").strip() for k in COLUMNS})
    return rows


def check_cues(session: AdrSession, text: str) -> tuple[list[Cue], list[dict]]:
    """(the cues the CSV makes, the problems: one {"row", "field", "message"} each)."""
    rows = _rows(text)
    existing = set(session.cues.values_list("number", flat=True))
    cues, problems, seen = [], [], set()
    for n, row in enumerate(rows, start=2):  # row 1 is the header

        def bad(field: str, message: str, n=n) -> None:
            problems.append({"row": n, "field": field, "message": message})

        frames = {}
        for field in ("tc_in", "tc_out"):
            try:
                frames[field] = tc.timecode_to_frames(row[field], session.rate)
            except ValueError as exc:
                bad(field, str(exc))
        if len(frames) == 2 and frames["tc_out"] <= frames["tc_in"]:
            bad("tc_out", "the out point must be after the in point")
        number = row["cue"]
        if not number or len(number) > 20:
            bad("cue", "a cue number of 1 to 20 characters")
        elif number in seen or number in existing:
            bad("cue", f"cue {number} is listed twice")
        seen.add(number)
        if not row["character"] or len(row["character"]) > 200:
            bad("character", "a character name of 1 to 200 characters")
        if not row["line"]:
            bad("line", "the line is empty")
        if problems and problems[-1]["row"] == n:
            continue
        cues.append(
            Cue(
                session=session,
                number=number,
                character=row["character"],
                tc_in=row["tc_in"],
                tc_out=row["tc_out"],
                frame_in=frames["tc_in"],
                frame_out=frames["tc_out"],
                line=row["line"][:5000],
            )
        )
    return cues, problems


@transaction.atomic
def import_cues(session: AdrSession, *, text: str, actor, dry_run: bool = False) -> dict:
    """Import a cue list from CSV (cue, character, tc_in, tc_out, line). A dry run only
    reports; a real import with any bad row is refused whole (422 listing every row)."""
    need_manage(actor)
    if len(text.encode()) > MAX_CSV_BYTES:
        raise InvalidInput.field("file", "A cue list CSV is at most 1 MB")
    cues, problems = check_cues(session, text)
    report = {
        "rows": len(cues) + len({p["row"] for p in problems}),
        "valid": len(cues),
        "problems": problems,
    }
    if dry_run:
        return {**report, "imported": 0}
    if problems:
        raise InvalidInput(
            f"{len({p['row'] for p in problems})} rows are wrong; nothing was imported",
            details={"problems": problems},
        )
    Cue.objects.bulk_create(cues)
    audit.record(
        actor,
        session,
        AuditEntry.Action.UPDATE,
        {"cues": [None, len(cues)]},
        f"{len(cues)} cues imported",
    )
    return {**report, "imported": len(cues)}


@transaction.atomic
def mark_recorded(cue: Cue, *, actor, take_notes: str = "") -> Cue:
    need_manage(actor)
    return crud.update(cue, actor=actor, recorded=True, take_notes=take_notes[:500])


def cue_sheet_pdf(session: AdrSession) -> bytes:
    from weasyprint import HTML

    context = {"session": session, "cues": list(session.cues.all())}
    return HTML(string=render_to_string("coordination/cue_sheet_pdf.html", context)).write_pdf()
