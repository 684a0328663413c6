"""The library's part of the demo facility: a vault of racks and shelves at each site and
about 2,000 items across the demo productions (masters with their protection masters and
dubs, camera drives with their clones and LTO archives), some checked out, one overdue,
one in transit, and one stock-take in progress. Written through the services, the
catalogue in one block (importing.register_block)."""

import datetime

from django.utils import timezone

from postdesk.core.audit import DEMO
from postdesk.core.models import Site, User
from postdesk.library import services
from postdesk.library.importing import NewItem, register_block
from postdesk.library.models import Location, MediaItem
from postdesk.productions.models import Production

RACKS = 5
SHELVES = 5
# Eight items a group (see _group), 250 groups: 2,000 items.
GROUPS = 250
RATES = {"feature": "24", "series": "25", "documentary": "25", "promo": "25"}
PEOPLE = ("supervisor", "coordinator", "runner", "engineer")


def _vault(site: Site) -> list[Location]:
    """Site › Vault › Rack 1-5 › Shelf 1-5, with barcodes such as LOC-SOHO-V-R2-S3; the
    shelves, in order."""
    code = f"LOC-{site.code.upper()}"
    root = services.create_location(
        actor=DEMO, name=site.name, kind="site", barcode=code, site=site
    )
    vault = services.create_location(
        actor=DEMO, name="Vault", kind="vault", parent=root, barcode=f"{code}-V", site=site
    )
    services.create_location(
        actor=DEMO, name="Machine room", kind="room", parent=root, barcode=f"{code}-MR", site=site
    )
    shelves = []
    for r in range(1, RACKS + 1):
        rack = services.create_location(
            actor=DEMO, name=f"Rack {r}", kind="rack", parent=vault, barcode=f"{code}-V-R{r}"
        )
        for s in range(1, SHELVES + 1):
            shelves.append(
                services.create_location(
                    actor=DEMO,
                    name=f"Shelf {s}",
                    kind="shelf",
                    parent=rack,
                    barcode=f"{code}-V-R{r}-S{s}",
                )
            )
    return shelves


# One reel's media, in block order: (title after the reel's, kind, format, generation,
# the index within the group of the item it was made from).
TAPES = (
    ("master", "tape", "hdcam_sr", "master", None),
    ("protection master", "tape", "hdcam_sr", "protection_master", 0),
    ("viewing copy 1", "tape", "digibeta", "dub", 0),
    ("viewing copy 2", "tape", "digibeta", "dub", 0),
    ("viewing copy 3", "tape", "xdcam", "dub", 0),
)
DRIVES = (
    ("", "drive", "ssd", "camera_original", None),
    (" clone", "drive", "hdd", "clone", 5),
    (" archive", "tape", "lto8", "archive_copy", 5),
)


def _group(production: Production, n: int, shelf: Location, today, base: int) -> list:
    """One reel's media: a master, its protection master and three dubs; a camera drive,
    its clone and the LTO archive made from it. `base`: the index of the group's first
    item in the whole block (the lineage names earlier items by index)."""
    rate = RATES.get(production.kind, "25")
    common = {
        "client": production.client,
        "production": production,
        "owner": "client",
        "frame_rate": rate,
        "retention_until": today + datetime.timedelta(days=365 * 7),
    }
    reel = f"R{n:03d}"
    tape = {
        **common,
        "standard": "1080p" + rate,
        "resolution": "1920x1080",
        "aspect_ratio": "16:9",
        "start_timecode": "10:00:00:00",
        "duration": "00:22:00:00",
        "reel": reel,
    }
    drive = {**common, "reel": f"A{n:03d}"}
    made = []
    for rows, fields, title in (
        (TAPES, tape, f"{production.title} {reel} "),
        (DRIVES, drive, f"{production.title} camera rolls {reel}"),
    ):
        for suffix, kind, format, generation, parent in rows:
            values = {**fields, "title": title + suffix, "kind": kind, "format": format}
            values["generation"] = generation
            if generation == "master":
                values["audio_layout"] = "8ch: 1-6 5.1, 7-8 stereo"
            parents = () if parent is None else (base + parent,)
            made.append(NewItem(values, shelf, parents))
    return made


def load(groups: int = GROUPS) -> str:
    """The library's demo: `groups` reels of eight items each (tests load fewer)."""
    started = timezone.now()
    today = timezone.localdate()
    shelves = [shelf for site in Site.objects.order_by("pk") for shelf in _vault(site)]
    productions = list(Production.objects.select_related("client").order_by("pk"))
    if not shelves or not productions:
        return "no sites or productions to stock"
    entries = []
    for n in range(groups):
        production = productions[n % len(productions)]
        reel = n // len(productions) + 1
        entries.extend(_group(production, reel, shelves[n % len(shelves)], today, len(entries)))
    # In one block (importing.register_block): one by one, 2,000 items took 40 s.
    items = register_block(entries, actor=DEMO, summary=f"Demo catalogue of {len(entries)} items")

    people = list(User.objects.filter(username__in=PEOPLE, is_active=True))
    dubs = [i for i in items if i.generation == "dub"]
    for k, item in enumerate(dubs[:24]):
        services.check_out(
            item,
            actor=DEMO,
            holder=people[k % len(people)] if people else None,
            holder_name="" if people else "Edit suite 2",
            due_back=today + datetime.timedelta(days=3 + k % 10),
            signer_name="",
        )
    # One overdue: registered with an outside editor, due back last week.
    first = productions[0]
    services.register_item(
        actor=DEMO,
        title=f"{first.title} offline reference (overdue)",
        kind="drive",
        format="ssd",
        generation="dub",
        client=first.client,
        production=first,
        holder_name="Jo Park (freelance editor)",
        due_back=today - datetime.timedelta(days=6),
    )
    services.dispatch(
        items[-3],
        actor=DEMO,
        courier="Mercury Couriers",
        tracking="MC-448812",
        destination="Pinewood Studios, Stage 4",
        signer_name="D. Evans",
    )
    librarian = User.objects.filter(username="library").first()
    if librarian is not None:
        _stocktake(shelves[0], librarian)
    seconds = (timezone.now() - started).total_seconds()
    count = MediaItem.objects.count()
    return (
        f"{len(shelves)} shelves, {count} items, 24 checked out, 1 overdue, 1 in transit, "
        f"1 stock-take in progress ({seconds:.1f} s)"
    )


def _stocktake(shelf: Location, librarian) -> None:
    """A stock-take of the first shelf, half scanned by the librarian (stock-takes are
    people's work)."""
    stocktake = services.start_stocktake(shelf, actor=librarian)
    codes = list(
        MediaItem.objects.filter(location=shelf)
        .order_by("barcode")
        .values_list("barcode", flat=True)
    )
    services.record_scans(stocktake, [shelf.barcode, *codes[: len(codes) // 2]], actor=librarian)
