"""URL converters for pages. `<id:pk>` matches only ids a bigint column can hold, so a
huge number in a hand-typed URL is a 404, not a database overflow."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
