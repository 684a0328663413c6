"""EDL import: a CMX 3600 EDL read through OpenTimelineIO's CMX 3600 adapter (never a
parser of our own), stored as a version of the production's EDL document, its events
kept, and its reels matched to the library's media items of the production: the pull
list, "which tapes or drives does this cut need".

The adapter keeps an event's reel but not its number once a clip is named by a comment;
`_Parser` asks the adapter's own line reader for the number and puts it in the clip's
metadata. Timecodes become frame numbers at the EDL's rate, checked against the 24-hour
day by core/timecode.py.
"""

import os
from fractions import Fraction

import opentimelineio as otio
from django.db import transaction
from django.db.models.functions import Trim, Upper
from otio_cmx3600_adapter import cmx_3600

from postdesk.coordination import documents
from postdesk.coordination.models import Document, Edl, EdlEvent
from postdesk.coordination.services import need_manage
from postdesk.core import audit, timecode
from postdesk.core.errors import Conflict, InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.library.models import MediaItem

# An EDL is text: a feature's is a few hundred kilobytes.
MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 5000
REEL_MAX = EdlEvent._meta.get_field("reel").max_length
# What the adapter reports for a source that is not a tape: no reel to pull.
GENERATED = {"black": "black", "SMPTEBars": "bars"}
# What a malformed EDL makes the adapter raise. It reads untrusted text, and a line it
# cannot split fails with Python's own errors as well as its EDLParseError; each becomes
# a 422 naming the reason, never a 500.
PARSE_ERRORS = (
    cmx_3600.EDLParseError,
    otio.exceptions.OTIOError,
    ValueError,
    IndexError,
    KeyError,
    AttributeError,
    TypeError,
)


class _Parser(cmx_3600.EDLParser):
    """The adapter's parser, noting each clip's event number in its metadata."""

    def add_clip(self, line, comments, rate=24, transition_line=None):
        super().add_clip(line, comments, rate=rate, transition_line=transition_line)
        event = cmx_3600.ClipHandler(transition_line or line, {}, rate=rate)
        for track in self.tracks_for_channel(event.channel_code):
            track[-1].metadata.setdefault("postdesk", {})["event"] = int(event.clip_num)


def _frames(value, rate_name: str, drop_frame: bool, what: str, number: int) -> int:
    frames = round(value)
    try:
        timecode.frames_to_timecode(frames, rate_name, drop_frame)
    except ValueError as exc:
        raise InvalidInput.field("file", f"Event {number}: {what} {exc}") from exc
    return frames


def _clip_row(track, clip, rate_name: str, drop_frame: bool) -> dict:
    number = clip.metadata.get("postdesk", {}).get("event", 0)
    source = ""
    if isinstance(clip.media_reference, otio.schema.GeneratorReference):
        source = GENERATED.get(clip.media_reference.generator_kind, "other")
    reel = "" if source else clip.metadata.get("cmx_3600", {}).get("reel", "")
    if len(reel) > REEL_MAX:
        raise InvalidInput.field(
            "file", f"Event {number}: a reel name of over {REEL_MAX} characters"
        )
    placed = track.range_of_child(clip)
    # The track starts at minus the first record in: adding it back gives record time.
    offset = -track.source_range.start_time.value
    row = {"number": number, "track": track.name[:10], "reel": reel, "source": source}
    row["clip_name"] = (clip.name or "")[:200]
    for name, value in (
        ("source_in", clip.source_range.start_time.value),
        ("source_out", clip.source_range.end_time_exclusive().value),
        ("record_in", placed.start_time.value + offset),
        ("record_out", placed.end_time_exclusive().value + offset),
    ):
        row[name] = _frames(value, rate_name, drop_frame, name.replace("_", " "), number)
    return row


def read(text: str, rate_name: str, drop_frame: bool = False) -> tuple[str, list[dict]]:
    """(title, events) of a CMX 3600 EDL at the rate named, or a 422 naming the fault."""
    try:
        rate = timecode.rate_info(rate_name)
        if drop_frame:
            timecode.frames_per_day(rate_name, True)
    except ValueError as exc:
        raise InvalidInput.field("rate", str(exc)) from exc
    try:
        timeline = _Parser(text, rate=float(Fraction(rate.real))).timeline
    except PARSE_ERRORS as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise InvalidInput.field(
            "file", f"This is not a CMX 3600 EDL we can read: {reason}"
        ) from exc
    rows = []
    for track in timeline.tracks:
        for clip in track.find_clips(shallow_search=True):
            rows.append(_clip_row(track, clip, rate_name, drop_frame))
            if len(rows) > MAX_EVENTS:
                raise InvalidInput.field("file", f"An EDL may hold at most {MAX_EVENTS} events")
    if not rows:
        raise InvalidInput.field("file", "The EDL holds no events")
    return (timeline.name or "")[:200], rows


def _text(upload) -> str:
    size = getattr(upload, "size", None) or 0
    if size > MAX_BYTES:
        raise InvalidInput.field("file", f"An EDL may be at most {MAX_BYTES // (1024 * 1024)} MB")
    extension = os.path.splitext(documents.clean_filename(getattr(upload, "name", "")))[1]
    if extension.lower() != ".edl":
        raise InvalidInput.field("file", "Upload a CMX 3600 EDL, a file ending in .edl")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if b"\x00" in data:
        raise InvalidInput.field("file", "An EDL may not hold binary data")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.field("file", "An EDL must be UTF-8 (or plain ASCII) text") from exc


@transaction.atomic
def import_edl(*, production, title: str, file, rate: str, actor, drop_frame: bool = False):
    """Read the EDL, then keep it as the next version of the production's EDL document
    called `title` (a new document the first time) with its events. Nothing is stored
    when the EDL cannot be read."""
    need_manage(actor)
    name, rows = read(_text(file), rate, drop_frame)
    title = (title or "").strip()
    existing = Document.objects.filter(production=production, title=title).first()
    if existing is not None and existing.kind != Document.Kind.EDL:
        raise Conflict(f"{production.title}'s {title!r} is a {existing.get_kind_display()}")
    if existing is None:
        version = documents.upload_document(
            production=production, kind=Document.Kind.EDL, title=title, file=file, actor=actor
        )
    else:
        version = documents.add_version(existing, file=file, actor=actor)
    edl = Edl.objects.create(
        production=production,
        version=version,
        title=name,
        rate=rate,
        drop_frame=drop_frame,
        event_count=len({r["number"] for r in rows}),
        imported_by=actor,
    )
    EdlEvent.objects.bulk_create(EdlEvent(edl=edl, **r) for r in rows)
    audit.record(
        actor,
        edl,
        AuditEntry.Action.CREATE,
        {"events": [None, len(rows)], "reels": [None, sorted({r["reel"] for r in rows} - {""})]},
        f"EDL imported: {title} v{version.number}",
    )
    return edl


# --- reads --------------------------------------------------------------------------------


def label(frames: int, edl: Edl) -> str:
    return timecode.frames_to_timecode(frames, edl.rate, edl.drop_frame)


def event_rows(edl: Edl) -> list[dict]:
    return [
        {
            "number": e.number,
            "track": e.track,
            "reel": e.reel,
            "source": e.source,
            "clip_name": e.clip_name,
            "source_in": label(e.source_in, edl),
            "source_out": label(e.source_out, edl),
            "record_in": label(e.record_in, edl),
            "record_out": label(e.record_out, edl),
        }
        for e in edl.events.all()
    ]


def reel_key(reel: str) -> str:
    """Reels match whatever their case or surrounding spaces: EDLs write them in capitals."""
    return reel.strip().upper()


def _matches(production_id: int, keys: set[str]) -> dict[str, list[MediaItem]]:
    """{reel key: the production's media items with that roll/reel number}, one query;
    destroyed and withdrawn items hold nothing any more."""
    found: dict[str, list[MediaItem]] = {}
    if not keys:
        return found
    items = (
        MediaItem.objects.annotate(reel_key=Upper(Trim("reel")))
        .filter(production_id=production_id, reel_key__in=keys)
        .filter(destroyed_at__isnull=True, archived_at__isnull=True)
        .select_related("location", "holder")
        .order_by("barcode")
    )
    for item in items:
        found.setdefault(item.reel_key, []).append(item)
    return found


def pull_list(edl: Edl) -> dict:
    """The cut's reels, each with the events using it and the media items that hold it:
    {"reels": [{"reel", "events", "items"}], "matched", "unmatched"} in three queries."""
    counts: dict[str, set[int]] = {}
    for reel, number in edl.events.exclude(reel="").values_list("reel", "number"):
        counts.setdefault(reel, set()).add(number)
    found = _matches(edl.production_id, {reel_key(r) for r in counts})
    reels = [
        {"reel": reel, "events": len(numbers), "items": found.get(reel_key(reel), [])}
        for reel, numbers in sorted(counts.items())
    ]
    return {
        "reels": reels,
        "matched": [r for r in reels if r["items"]],
        "unmatched": [r["reel"] for r in reels if not r["items"]],
    }


def unmatched_reels(limit: int = 500) -> list[dict]:
    """Across productions, the reels of each EDL document's latest version that no media
    item of the production holds: what the library assistant should find or register.
    Three queries, whatever the number of EDLs."""
    latest: dict[int, Edl] = {}
    for edl in Edl.objects.select_related("production", "version").order_by(
        "version__document_id", "-version__number"
    ):
        latest.setdefault(edl.version.document_id, edl)
    edls = {e.pk: e for e in latest.values()}
    pairs = sorted(
        set(
            EdlEvent.objects.filter(edl_id__in=list(edls))
            .exclude(reel="")
            .values_list("edl_id", "reel")
        ),
        key=lambda p: (edls[p[0]].production.title, p[0], p[1]),
    )
    held = set(
        MediaItem.objects.annotate(reel_key=Upper(Trim("reel")))
        .filter(
            production_id__in={e.production_id for e in edls.values()},
            reel_key__in={reel_key(reel) for _, reel in pairs},
            destroyed_at__isnull=True,
            archived_at__isnull=True,
        )
        .values_list("production_id", "reel_key")
    )
    rows = []
    for edl_id, reel in pairs:
        edl = edls[edl_id]
        if (edl.production_id, reel_key(reel)) not in held:
            rows.append({"edl": edl, "production": edl.production, "reel": reel})
    return rows[:limit]
