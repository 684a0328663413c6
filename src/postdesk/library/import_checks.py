"""Reading a catalogue file (CSV or XLSX) and checking each of its rows, in memory.

`read_table` turns the upload into headers and rows; `check_rows` maps each row's cells to
media item fields through the user's column mapping and says, row by row, what is wrong
(bad date, duplicate barcode in the file or the database, unknown format, unknown
location, timecode malformed at the row's frame rate...). Every lookup against the
database is made once for the whole file (locations, productions, clients, jobs, the
barcodes already taken), so checking 100,000 rows costs set lookups, not queries.
importing.py writes what passed.
"""

import csv
import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from postdesk.core import timecode
from postdesk.core.errors import InvalidInput
from postdesk.core.timeutil import date_in_window
from postdesk.library.models import BARCODE_MAX, Location, MediaItem
from postdesk.productions.models import Client, Job, Production

Item = MediaItem
FILE_MAX_BYTES = 64 * 1024 * 1024
ROWS_MAX = 200_000
COLUMNS_MAX = 100
CELL_MAX = 5000

# field -> what a person calls it (the import page's choices, and the headers a column is
# recognised by without a mapping).
FIELDS = {
    "barcode": "Barcode",
    "title": "Title",
    "kind": "Kind",
    "format": "Format",
    "generation": "Generation",
    "location": "Location barcode",
    "standard": "Standard",
    "resolution": "Resolution",
    "frame_rate": "Frame rate",
    "drop_frame": "Drop frame",
    "aspect_ratio": "Aspect ratio",
    "audio_layout": "Audio layout",
    "start_timecode": "Start timecode",
    "duration": "Duration",
    "reel": "Reel",
    "condition": "Condition",
    "notes": "Notes",
    "file_path": "File path",
    "file_size": "File size",
    "checksum": "Checksum",
    "client": "Client",
    "production": "Production",
    "job": "Job number",
    "owner": "Owner",
    "retention_until": "Retention until",
    "on_hold": "On hold",
}
REQUIRED = ("title", "format", "generation", "location")
# Text fields and their limits (the model's).
TEXT_MAX = {
    "title": 200,
    "standard": 40,
    "resolution": 20,
    "aspect_ratio": 20,
    "audio_layout": 100,
    "reel": 40,
    "notes": CELL_MAX,
    "file_path": 1000,
    "checksum": 128,
}
CHOICES = {
    "kind": Item.Kind,
    "format": Item.Format,
    "generation": Item.Generation,
    "condition": Item.Condition,
    "owner": Item.Owner,
}
# Dates as catalogues write them. Numeric dates are day first, as in the facility's UK
# catalogues: 03/04/2026 is the 3rd of April. Two-digit years are refused as ambiguous.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%b %d %Y",
    "%B %d %Y",
)
RATE_ALIASES = {"23.98": "23.976", "29.970": "29.97", "59.940": "59.94"}
TRUE = {"yes", "y", "true", "t", "1", "x"}
FALSE = {"no", "n", "false", "f", "0", ""}


@dataclass
class Table:
    headers: list[str]
    # (line or sheet row number, cells), blank rows left out
    rows: list[tuple[int, list[str]]]


_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def _squash(text: str) -> str:
    """A name reduced to its letters and digits, for matching headers and choices."""
    return _NOT_ALNUM.sub("", text.lower())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")  # Excel's CSV starts with a byte order mark
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise InvalidInput.field("file", "The file is not a CSV text file")
    # The delimiter is the one the header row uses most: a sniffer reading the data rows
    # is misled by drop-frame timecodes (01:00:00;00) in a comma-separated file.
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=header.count)
    dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect, delimiter=delimiter)
    try:
        return [(reader.line_num, [c.strip() for c in cells]) for cells in reader]
    except csv.Error as exc:  # a field over the csv module's limit, a stray quote...
        raise InvalidInput.field("file", f"The CSV file cannot be read: {exc}") from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    # A workbook is a zip of XML parts from anywhere: a broken one can fail in the zip
    # reader, the XML parser or openpyxl itself, on opening or while rows are read, each
    # with its own exception type. Any of them means the same to the user.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [
                (n, [_cell(v)[: CELL_MAX + 1] for v in values])
                for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            book.close()
    except Exception as exc:
        raise InvalidInput.field("file", "The file is not a readable XLSX workbook") from exc


def read_table(data: bytes, filename: str) -> Table:
    """Headers and rows of an uploaded CSV or XLSX (its first sheet); blank rows skipped,
    each row kept with its number in the file so the report can point at it."""
    if len(data) > FILE_MAX_BYTES:
        raise InvalidInput.field("file", f"The file is over {FILE_MAX_BYTES // 2**20} MB")
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(data)
    else:
        raise InvalidInput.field("file", "Upload a .csv or .xlsx file")
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise InvalidInput.field("file", "The file has no header row")
    (_, headers), body = rows[0], rows[1:]
    headers = [h.strip() for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > COLUMNS_MAX:
        raise InvalidInput.field("file", f"The file has over {COLUMNS_MAX} columns")
    if len(body) > ROWS_MAX:
        raise InvalidInput.field("file", f"The file has over {ROWS_MAX:,} rows")
    return Table(headers=headers, rows=body)


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """{header: field} for the headers named like a field ("Start TC" is not guessed)."""
    known = {_squash(f): f for f in FIELDS} | {_squash(label): f for f, label in FIELDS.items()}
    mapping = {}
    for header in headers:
        found = known.get(_squash(header))
        if found and found not in mapping.values():
            mapping[header] = found
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, int]:
    """{field: column index} for a mapping of header -> field ("" or None: not imported)."""
    columns = {}
    for header, name in mapping.items():
        if not name:
            continue
        if name not in FIELDS:
            raise InvalidInput.field("mapping", f"Unknown field {name!r} for column {header!r}")
        if header not in headers:
            raise InvalidInput.field("mapping", f"The file has no column {header!r}")
        if name in columns:
            raise InvalidInput.field("mapping", f"Two columns are mapped to {FIELDS[name]}")
        columns[name] = headers.index(header)
    missing = [FIELDS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise InvalidInput.field("mapping", f"Map a column to: {', '.join(missing)}")
    return columns


@dataclass
class RowResult:
    line: int
    barcode: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.append((name, message))


class Lookups:
    """What the rows refer to, read from the database once for the whole file."""

    def __init__(self, barcodes: list[str]):
        self.locations = {
            code: (pk, archived)
            for code, pk, archived in Location.objects.values_list("barcode", "id", "archived")
        }
        self.productions: dict[str, list[tuple[int, int]]] = {}
        for pk, title, client_id in Production.objects.values_list("id", "title", "client_id"):
            self.productions.setdefault(title.strip().lower(), []).append((pk, client_id))
        self.clients = {n.strip().lower(): pk for pk, n in Client.objects.values_list("id", "name")}
        self.jobs = {
            number.upper(): (pk, production_id, client_id)
            for pk, number, production_id, client_id in Job.objects.values_list(
                "id", "number", "production_id", "client_id"
            )
        }
        self.taken = set()
        # Only the file's own barcodes are looked up, in chunks under SQLite's variable cap.
        unique = list(set(barcodes))
        for i in range(0, len(unique), 900):
            chunk = unique[i : i + 900]
            self.taken.update(
                Item.objects.filter(barcode__in=chunk).values_list("barcode", flat=True)
            )


def _choice_index(choices) -> dict[str, str]:
    return {_squash(v): v for v in choices.values} | {_squash(x.label): x.value for x in choices}


# Each choice field's values and labels as typed ("HDCAM SR", "hdcam_sr", "LTO-8"), built
# once: building them per row cost more than the rest of a row's checks.
CHOICE_INDEX = {name: _choice_index(choices) for name, choices in CHOICES.items()}


def _choice(row: RowResult, name: str, text: str) -> str:
    found = CHOICE_INDEX[name].get(_squash(text))
    if found is None:
        row.error(name, f"Unknown {FIELDS[name].lower()} {text!r}")
        return ""
    return found


def parse_date(text: str) -> datetime.date | None:
    text = " ".join(text.replace(",", " ").split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _flag(row: RowResult, name: str, text: str) -> bool:
    low = text.lower()
    if low in TRUE:
        return True
    if low not in FALSE:
        row.error(name, f"{FIELDS[name]} is yes or no, not {text!r}")
    return False


def _rate(row: RowResult, text: str) -> str:
    rate = text.lower().removesuffix("fps").strip()
    rate = RATE_ALIASES.get(rate, rate)
    if "." in rate:
        rate = rate.rstrip("0").rstrip(".")
    if rate not in timecode.RATE_NAMES:
        row.error("frame_rate", f"Unknown frame rate {text!r}")
        return ""
    return rate


def _text_fields(row: RowResult, get) -> None:
    for name, limit in TEXT_MAX.items():
        text = get(name)
        if len(text) > limit:
            row.error(name, f"{FIELDS[name]} is over {limit} characters")
        elif "\x00" in text:
            row.error(name, f"{FIELDS[name]} holds a NUL character")
        else:
            row.values[name] = text
    if not row.values.get("title"):
        row.error("title", "Title is required")


def _kind_and_format(row: RowResult, get) -> None:
    text = get("format")
    fmt = _choice(row, "format", text) if text else ""
    if not text:
        row.error("format", "Format is required")
    kinds = [k for k, formats in Item.FORMATS_BY_KIND.items() if fmt in formats]
    kind_text = get("kind")
    kind = _choice(row, "kind", kind_text) if kind_text else (kinds[0] if kinds else "")
    if fmt and kind and kind not in kinds:
        row.error("format", f"A {Item.Kind(kind).label.lower()} cannot be {Item.Format(fmt).label}")
    row.values.update(kind=kind, format=fmt)
    if kind == Item.Kind.FILE and not get("file_path"):
        row.error("file_path", "A file deliverable needs its path or URL")
    for name, default in (("generation", ""), ("condition", "good"), ("owner", "client")):
        text = get(name)
        row.values[name] = _choice(row, name, text) if text else default
    if not get("generation"):
        row.error("generation", "Generation is required")


def _technical(row: RowResult, get) -> None:
    """Frame rate, drop frame and the two timecodes, each valid at the row's rate."""
    rate = _rate(row, get("frame_rate")) if get("frame_rate") else ""
    drop_text = get("drop_frame")
    drop = _flag(row, "drop_frame", drop_text) if drop_text else None
    seen_drop = set()
    for name in ("start_timecode", "duration"):
        text = get(name)
        row.values[name] = text
        if not text:
            continue
        if not rate:
            if not get("frame_rate"):
                row.error(name, f"{text}: give the frame rate the timecode counts at")
            continue
        try:
            seen_drop.add(timecode.parse(text, rate)[1])
        except ValueError as exc:
            row.error(name, f"Malformed timecode at {rate}: {exc}")
    # Written with ';' a timecode is drop frame; without a drop-frame column the notation
    # says which the item is, with one the two must agree.
    if drop is None:
        drop = seen_drop == {True}
    elif seen_drop and seen_drop != {drop}:
        row.error("drop_frame", "Drop frame disagrees with how the timecodes are written")
    if drop and rate and rate not in timecode.DROP_FRAME_RATES:
        row.error(
            "drop_frame", f"Drop frame exists only at {' and '.join(timecode.DROP_FRAME_RATES)}"
        )
    row.values.update(frame_rate=rate, drop_frame=bool(drop))
    size = get("file_size")
    row.values["file_size"] = None
    if size:
        if size.isdigit() and len(size) < 19:
            row.values["file_size"] = int(size)
        else:
            row.error("file_size", f"File size is a whole number of bytes, not {size!r}")


def _dates_and_flags(row: RowResult, get) -> None:
    text = get("retention_until")
    row.values["retention_until"] = None
    if text:
        day = parse_date(text)
        if day is None:
            row.error("retention_until", f"Bad date {text!r}: write 2026-03-31 or 31/03/2026")
        elif not date_in_window(day):
            row.error("retention_until", f"{day:%d %B %Y} is outside the dates postdesk keeps")
        else:
            row.values["retention_until"] = day
    text = get("on_hold")
    row.values["on_hold"] = _flag(row, "on_hold", text) if text else False


def _ties(row: RowResult, get, lookups: Lookups) -> None:
    """Job, production and client by number, title and name; the missing ones are filled
    from the job or the production, as registration does, and must agree."""
    job = production = client = None
    if get("job"):
        found = lookups.jobs.get(get("job").upper())
        if found is None:
            row.error("job", f"Unknown job {get('job')!r}")
        else:
            job, production, client = found
    if get("production"):
        found = lookups.productions.get(get("production").lower(), [])
        if len(found) != 1:
            row.error(
                "production",
                f"{'Ambiguous' if found else 'Unknown'} production {get('production')!r}",
            )
        elif production is not None and found[0][0] != production:
            row.error("job", "The job belongs to another production")
        else:
            production, client = found[0]
    if get("client"):
        found = lookups.clients.get(get("client").lower())
        if found is None:
            row.error("client", f"Unknown client {get('client')!r}")
        elif client is not None and found != client:
            row.error("production", "The production belongs to another client")
        else:
            client = found
    row.values.update(job_id=job, production_id=production, client_id=client)


def _place(row: RowResult, get, lookups: Lookups) -> None:
    code = get("location").upper()
    found = lookups.locations.get(code)
    if not code:
        row.error("location", "Location is required: every item is somewhere")
    elif found is None:
        row.error("location", f"Unknown location {code!r}")
    elif found[1]:
        row.error("location", f"Location {code} is archived")
    else:
        row.values["location_id"] = found[0]


def check_rows(table: Table, columns: dict[str, int]) -> list[RowResult]:
    """Every row of `table` checked; a row without errors has `values` ready to write."""
    where = columns.get("barcode")
    barcodes = [
        cells[where].strip().upper() if where is not None and where < len(cells) else ""
        for _, cells in table.rows
    ]
    lookups = Lookups([b for b in barcodes if b])
    in_file = Counter(b for b in barcodes if b)
    results = []
    for (line, cells), code in zip(table.rows, barcodes, strict=True):

        def get(name, cells=cells):
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row = RowResult(line=line, barcode=code)
        if code:
            if len(code) > BARCODE_MAX or not code.isprintable():
                row.error("barcode", f"A barcode is at most {BARCODE_MAX} printable characters")
            if in_file[code] > 1:
                row.error("barcode", f"Duplicate barcode {code} in the file")
            if code in lookups.taken:
                row.error("barcode", f"Duplicate barcode: {code} is already registered")
        _text_fields(row, get)
        _kind_and_format(row, get)
        _technical(row, get)
        _dates_and_flags(row, get)
        _ties(row, get, lookups)
        _place(row, get, lookups)
        results.append(row)
    return results
