"""Runner tasks that carry media ("take LIB-000123 to Grading 2"): the item and the
place are checked when the task is posted, and finishing the task moves the item there
in the library, with the runner as the one who moved it."""

from postdesk.core.errors import InvalidInput
from postdesk.library import services as library
from postdesk.library.models import Location, MediaItem

Custody = MediaItem.Custody


def resolve(media, move_to) -> tuple[MediaItem | None, Location | None]:
    """(item, location) of a media move, or (None, None) for an ordinary task. Both or
    neither; an unknown barcode or a missing or archived location is a 422."""
    if media in (None, "") and move_to is None:
        return None, None
    if media in (None, "") or move_to is None:
        raise InvalidInput.field(
            "media" if move_to is not None else "move_to",
            "A media move names both the item and where it goes",
        )
    if isinstance(media, MediaItem):
        item = media
    else:
        code = media.strip().upper() if isinstance(media, str) else ""
        item = MediaItem.objects.filter(barcode=code).first() if code else None
        if item is None:
            raise InvalidInput.field("media", f"No media item {media!r} in the library")
    if item.destroyed_at is not None or item.archived_at is not None:
        raise InvalidInput.field("media", f"{item.barcode} is no longer in the library's care")
    pk = move_to.pk if isinstance(move_to, Location) else move_to
    place = Location.objects.filter(pk=pk, archived=False).first()
    if place is None:
        raise InvalidInput.field("move_to", f"No live library location {pk}")
    return item, place


def deliver(task, *, actor) -> None:
    """The library's custody move that finishes a media task: from a shelf it is a move;
    from someone who had it checked out, a check-in at the destination. An item with a
    courier is refused by the library (receive it at the door first)."""
    item = MediaItem.objects.filter(pk=task.media_item_id).only("custody", "location").get()
    if item.custody == Custody.LOCATION and item.location_id == task.move_to_id:
        return  # someone put it there already: the runner's trip changed nothing
    note = f"Runner task {task.pk}: {task.title}"[:500]
    if item.custody == Custody.PERSON:
        library.check_in(task.media_item_id, task.move_to_id, actor=actor, note=note)
    else:
        library.move(task.media_item_id, task.move_to_id, actor=actor, note=note)
