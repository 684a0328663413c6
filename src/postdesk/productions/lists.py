"""What the lists of clients, contacts, productions and jobs may be searched, sorted and
filtered by (core/listing.ListSpec), declared once for the API and the pages."""

from postdesk.core.listing import Filter, ListSpec
from postdesk.productions.models import Job, Production

CLIENTS = ListSpec(search=("name",), sorts={"name": "name", "id": "pk"}, default_sort="name")

CONTACTS = ListSpec(
    search=("name", "email"),
    sorts={"name": "name", "id": "pk"},
    default_sort="name",
    filters={"client": Filter("client_id", parse=int)},
)

PRODUCTIONS = ListSpec(
    search=("title", "client__name"),
    sorts={"title": "title", "client": "client__name", "id": "pk"},
    default_sort="title",
    filters={
        "client": Filter("client_id", parse=int),
        "status": Filter("status", parse=Production.Status),
    },
)

JOBS = ListSpec(
    search=("number", "description", "production__title", "client__name"),
    sorts={"number": "number", "created": "created_at", "client": "client__name", "id": "pk"},
    default_sort="-number",
    filters={
        "client": Filter("client_id", parse=int),
        "production": Filter("production_id", parse=int),
        "status": Filter("status", parse=Job.Status),
    },
)
