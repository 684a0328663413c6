"""Ids as input: only numbers a bigint column holds are ids; the rest are input errors.

SQLite raises OverflowError on a foreign-key lookup with a larger number (a 500), so
every id that reaches a query is checked first, whichever layer it came through.
"""

from postdesk.core.errors import InvalidInput

# Largest id a bigint column holds (PostgreSQL and SQLite alike).
MAX_ID = 2**63 - 1
# Most ids one comma-separated list may name: enough for any screen, bounded work.
MAX_IDS = 100


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def id_from_text(text: str) -> int | None:
    """The id an ASCII decimal string names, or None ("12" -> 12; "²", "0", 2**63 -> None)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if is_id(value) else None


def require_id(value, field: str, what: str = "id"):
    """`value` if it is an id, else a 422 naming the field."""
    if not is_id(value):
        raise InvalidInput.field(field, f"{value!r} is not a valid {what}")
    return value


def id_list(text: str | None, field: str, *, max_items: int = MAX_IDS) -> list[int]:
    """Ids from "3,5,8" (blanks ignored); anything else, or too many, is a 422."""
    parts = [part for part in (text or "").split(",") if part.strip()]
    if len(parts) > max_items:
        raise InvalidInput.field(field, f"{field} names at most {max_items} ids")
    ids = []
    for part in parts:
        value = id_from_text(part)
        if value is None:
            raise InvalidInput.field(field, f"{field} is a comma-separated list of ids")
        ids.append(value)
    return ids
