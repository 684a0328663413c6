"""Database functions the scheduling reads select through: instants as the API writes
them and a resource's skill names, each in the form its database gives most cheaply."""

import datetime

from django.db import NotSupportedError
from django.db.models import CharField, Func

from postdesk.scheduling.models import Resource, Skill


class UtcInstant(Func):
    """A UTC instant for bulk JSON output, in the form each database gives most cheaply;
    `json_response` writes both exactly as orjson writes an aware datetime
    ("2026-03-02T09:00:00+00:00", microseconds only when present):

    - PostgreSQL: a naive UTC datetime (`x AT TIME ZONE 'UTC'`), which psycopg builds in
      C. Django loads timestamptz through a Python loader (about 4 us a value, most of
      a board's time), and formatting text in SQL cost 3 ms of a week's board
      (bench/RESULTS.md).
    - SQLite: ISO text made from the stored UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
    """

    output_field = CharField()  # a field Django converts nothing for, on either database
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"UtcInstant is not available on {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(%(expressions)s AT TIME ZONE 'UTC')"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "(replace(%(expressions)s, ' ', 'T') || '+00:00')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def instant_text(value: datetime.datetime | str | None) -> str | None:
    """The text the API shows for an instant: a UtcInstant value (naive UTC datetime or
    ISO text) or an aware datetime. For comparing instants in fingerprints."""
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(datetime.UTC).isoformat()


class SkillNames(Func):
    """A resource's skill names, sorted, as a column of the resource's own row (one query
    for resources and skills). PostgreSQL gives an array; SQLite a text joined by U+001F,
    which `skill_list` splits."""

    arity = 1  # the resource's id
    output_field = CharField()
    SEPARATOR = "\x1f"

    def _names(self) -> str:
        through = Resource.skills.through._meta.db_table
        return (
            f"SELECT s.name AS name FROM {through} rs "
            f"INNER JOIN {Skill._meta.db_table} s ON s.id = rs.skill_id "
            "WHERE rs.resource_id = %(expressions)s ORDER BY s.name"
        )

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"SkillNames is not available on {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"ARRAY({self._names()})"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = f"(SELECT group_concat(name, char(31)) FROM ({self._names()}))"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def skill_list(value) -> list[str]:
    if not value:
        return []
    return value.split(SkillNames.SEPARATOR) if isinstance(value, str) else list(value)
