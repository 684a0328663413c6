"""API for clients, contacts, productions and jobs."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import (
    Id,
    InputSchema,
    ListQuery,
    ModelOutSchema,
    Page,
    changed_fields,
    get_scoped,
    json_response,
    paged,
    require,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.models import User
from postdesk.core.roles import CHANGE_CLIENTS, VIEW_CLIENTS, scope_to_client
from postdesk.productions import lists, services
from postdesk.productions.models import Client, Contact, Job, Production
from postdesk.productions.visibility import CLIENT, CONTACT, JOB, PRODUCTION

router = Router(tags=["productions"])

STAFF_ONLY = "Shown to the facility's staff only"


def _shown(request, policy, schema, obj, status=200):
    """`obj` as `schema` serialises it, without what the reader may not see (the model's
    visibility policy, productions/visibility.py)."""
    return json_response(policy.strip(request.user, schema.from_orm(obj).model_dump()), status)


def _lister(request, policy, schema):
    """Rows for a page (`Page[schema]`): each validated by `schema` on its way from the
    model, so the page is written by json_response without a second validation."""
    strip = policy.stripper(request.user)
    return lambda obj: strip(schema.from_orm(obj).model_dump())


Name = Field(..., min_length=1, max_length=200)
# Free text is bounded like every other input: a request's work stays bounded.
ADDRESS_MAX = 1000
NOTES_MAX = 5000


# --- clients --------------------------------------------------------------------------


class ClientIn(InputSchema):
    name: str = Name
    billing_address: str = Field("", max_length=ADDRESS_MAX)
    country: str = Field("GB", min_length=2, max_length=2)
    vat_number: str = Field("", max_length=40)
    currency: Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"] = "GBP"
    payment_terms_days: int = Field(30, ge=0, le=365)
    credit_status: Client.CreditStatus = Client.CreditStatus.GOOD
    colour: str = Field("#3b6ea5", pattern=r"^#[0-9a-fA-F]{6}$")
    notes: str = Field("", max_length=NOTES_MAX)


class ClientPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    billing_address: str | None = Field(None, max_length=ADDRESS_MAX)
    country: str | None = Field(None, min_length=2, max_length=2)
    vat_number: str | None = Field(None, max_length=40)
    currency: Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"] | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=365)
    credit_status: Client.CreditStatus | None = None
    colour: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    notes: str | None = Field(None, max_length=NOTES_MAX)


class ClientOut(ModelOutSchema):
    id: int
    name: str
    billing_address: str
    country: str
    vat_number: str
    currency: str
    payment_terms_days: int
    credit_status: str | None = Field(None, description=STAFF_ONLY)
    colour: str
    notes: str | None = Field(None, description=STAFF_ONLY)


def _client(request, pk):
    return get_scoped(request, Client.objects.all(), pk, "pk", "client")


@router.get("/clients", response=Page[ClientOut])
def list_clients(request: HttpRequest, query: Query[ListQuery]):
    require(request, VIEW_CLIENTS)
    qs = scope_to_client(request.user, Client.objects.all(), "pk")
    return json_response(
        paged(lists.CLIENTS, qs, query, serialise=_lister(request, CLIENT, ClientOut))
    )


@router.post("/clients", response={201: ClientOut})
def create_client(request: HttpRequest, payload: ClientIn):
    require(request, CHANGE_CLIENTS)
    client = services.create_client(actor=request.user, **payload.model_dump())
    return _shown(request, CLIENT, ClientOut, client, 201)


@router.get("/clients/{client_id}", response=ClientOut)
def get_client(request: HttpRequest, client_id: Id):
    require(request, VIEW_CLIENTS)
    return _shown(request, CLIENT, ClientOut, _client(request, client_id))


@router.patch("/clients/{client_id}", response=ClientOut)
def update_client(request: HttpRequest, client_id: Id, payload: ClientPatch):
    require(request, CHANGE_CLIENTS)
    client = services.update_client(
        _client(request, client_id), actor=request.user, **changed_fields(payload)
    )
    return _shown(request, CLIENT, ClientOut, client)


@router.delete("/clients/{client_id}", response={204: None})
def delete_client(request: HttpRequest, client_id: Id):
    require(request, CHANGE_CLIENTS)
    services.delete_client(_client(request, client_id), actor=request.user)
    return Status(204, None)


# --- contacts -------------------------------------------------------------------------


class ContactIn(InputSchema):
    client: Id
    name: str = Name
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    position: str = Field("", max_length=100)


class ContactPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    position: str | None = Field(None, max_length=100)


class ContactOut(ModelOutSchema):
    id: int
    client: int = Field(..., alias="client_id")
    name: str
    email: str
    phone: str
    position: str


class ContactQuery(ListQuery):
    client: Id | None = None


def _contact(request, pk):
    return get_scoped(request, Contact.objects.all(), pk, "client", "contact")


@router.get("/contacts", response=Page[ContactOut])
def list_contacts(request: HttpRequest, query: Query[ContactQuery]):
    require(request, VIEW_CLIENTS)
    qs = scope_to_client(request.user, Contact.objects.all(), "client")
    return json_response(
        paged(lists.CONTACTS, qs, query, serialise=_lister(request, CONTACT, ContactOut))
    )


@router.post("/contacts", response={201: ContactOut})
def create_contact(request: HttpRequest, payload: ContactIn):
    require(request, CHANGE_CLIENTS)
    data = payload.model_dump()
    client = _client_for_input(request, data.pop("client"))
    contact = services.create_contact(actor=request.user, client=client, **data)
    return _shown(request, CONTACT, ContactOut, contact, 201)


@router.get("/contacts/{contact_id}", response=ContactOut)
def get_contact(request: HttpRequest, contact_id: Id):
    require(request, VIEW_CLIENTS)
    return _shown(request, CONTACT, ContactOut, _contact(request, contact_id))


@router.patch("/contacts/{contact_id}", response=ContactOut)
def update_contact(request: HttpRequest, contact_id: Id, payload: ContactPatch):
    require(request, CHANGE_CLIENTS)
    contact = services.update_contact(
        _contact(request, contact_id), actor=request.user, **changed_fields(payload)
    )
    return _shown(request, CONTACT, ContactOut, contact)


@router.delete("/contacts/{contact_id}", response={204: None})
def delete_contact(request: HttpRequest, contact_id: Id):
    require(request, CHANGE_CLIENTS)
    services.delete_contact(_contact(request, contact_id), actor=request.user)
    return Status(204, None)


def _client_for_input(request, pk: int) -> Client:
    """A client named in a request body: unknown ids are invalid input (422), not 404."""
    client = scope_to_client(request.user, Client.objects.all(), "pk").filter(pk=pk).first()
    if client is None:
        raise InvalidInput.field("client", f"No client with id {pk}")
    return client


# --- productions ----------------------------------------------------------------------


class ProductionIn(InputSchema):
    title: str = Name
    kind: Production.Kind = Production.Kind.FEATURE
    client: Id
    supervisor: Id | None = None
    status: Production.Status = Production.Status.ACTIVE
    notes: str = Field("", max_length=NOTES_MAX)


class ProductionPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: Production.Kind | None = None
    supervisor: Id | None = None
    status: Production.Status | None = None
    notes: str | None = Field(None, max_length=NOTES_MAX)


class ProductionOut(ModelOutSchema):
    id: int
    title: str
    kind: str
    client: int = Field(..., alias="client_id")
    client_name: str = Field(..., alias="client.name")
    supervisor: int | None = Field(None, alias="supervisor_id")
    status: str
    notes: str | None = Field(None, description=STAFF_ONLY)


class ProductionQuery(ListQuery):
    client: Id | None = None
    status: Production.Status | None = None


def _production(request, pk):
    return get_scoped(
        request, Production.objects.select_related("client"), pk, "client", "production"
    )


def _supervisor(pk: int | None):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, groups__name__in=["supervisor", "admin"]).first()
    if user is None:
        raise InvalidInput.field("supervisor", f"No supervisor with id {pk}")
    return user


@router.get("/productions", response=Page[ProductionOut])
def list_productions(request: HttpRequest, query: Query[ProductionQuery]):
    require(request, VIEW_CLIENTS)
    qs = scope_to_client(request.user, Production.objects.select_related("client"), "client")
    return json_response(
        paged(lists.PRODUCTIONS, qs, query, serialise=_lister(request, PRODUCTION, ProductionOut))
    )


@router.post("/productions", response={201: ProductionOut})
def create_production(request: HttpRequest, payload: ProductionIn):
    require(request, CHANGE_CLIENTS)
    data = payload.model_dump()
    client = _client_for_input(request, data.pop("client"))
    data["supervisor"] = _supervisor(data.pop("supervisor"))
    production = services.create_production(actor=request.user, client=client, **data)
    return _shown(request, PRODUCTION, ProductionOut, production, 201)


@router.get("/productions/{production_id}", response=ProductionOut)
def get_production(request: HttpRequest, production_id: Id):
    require(request, VIEW_CLIENTS)
    return _shown(request, PRODUCTION, ProductionOut, _production(request, production_id))


@router.patch("/productions/{production_id}", response=ProductionOut)
def update_production(request: HttpRequest, production_id: Id, payload: ProductionPatch):
    require(request, CHANGE_CLIENTS)
    changes = changed_fields(payload)
    if "supervisor" in changes:
        changes["supervisor"] = _supervisor(changes["supervisor"])
    production = services.update_production(
        _production(request, production_id), actor=request.user, **changes
    )
    return _shown(request, PRODUCTION, ProductionOut, production)


@router.delete("/productions/{production_id}", response={204: None})
def delete_production(request: HttpRequest, production_id: Id):
    require(request, CHANGE_CLIENTS)
    services.delete_production(_production(request, production_id), actor=request.user)
    return Status(204, None)


# --- jobs -----------------------------------------------------------------------------


class JobIn(InputSchema):
    production: Id
    description: str = Field(..., min_length=1, max_length=300)
    work_type: Job.WorkType = Job.WorkType.OTHER
    contact: Id | None = None
    owner: Id | None = None
    status: Job.Status = Job.Status.ACTIVE


class JobPatch(InputSchema):
    description: str | None = Field(None, min_length=1, max_length=300)
    work_type: Job.WorkType | None = None
    contact: Id | None = None
    owner: Id | None = None
    status: Job.Status | None = None


class JobOut(ModelOutSchema):
    id: int
    number: str
    production: int = Field(..., alias="production_id")
    production_title: str = Field(..., alias="production.title")
    client: int = Field(..., alias="client_id")
    client_name: str = Field(..., alias="client.name")
    description: str
    work_type: str
    contact: int | None = Field(None, alias="contact_id")
    owner: int | None = Field(None, alias="owner_id")
    status: str
    created_at: datetime


class JobQuery(ListQuery):
    client: Id | None = None
    production: Id | None = None
    status: Job.Status | None = None


def _jobs():
    return Job.objects.select_related("production", "client")


def _job(request, pk):
    return get_scoped(request, _jobs(), pk, "client", "job")


def _contact_for_input(request, pk: int | None):
    if pk is None:
        return None
    contact = scope_to_client(request.user, Contact.objects.all(), "client").filter(pk=pk).first()
    if contact is None:
        raise InvalidInput.field("contact", f"No contact with id {pk}")
    return contact


def _owner(pk: int | None):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, client__isnull=True, is_active=True).first()
    if user is None:
        raise InvalidInput.field("owner", f"No staff user with id {pk}")
    return user


@router.get("/jobs", response=Page[JobOut])
def list_jobs(request: HttpRequest, query: Query[JobQuery]):
    require(request, VIEW_CLIENTS)
    qs = scope_to_client(request.user, _jobs(), "client")
    return json_response(paged(lists.JOBS, qs, query, serialise=_lister(request, JOB, JobOut)))


@router.post("/jobs", response={201: JobOut})
def create_job(request: HttpRequest, payload: JobIn):
    require(request, CHANGE_CLIENTS)
    production = (
        scope_to_client(request.user, Production.objects.select_related("client"), "client")
        .filter(pk=payload.production)
        .first()
    )
    if production is None:
        raise InvalidInput.field("production", f"No production with id {payload.production}")
    job = services.create_job(
        actor=request.user,
        production=production,
        description=payload.description,
        work_type=payload.work_type,
        contact=_contact_for_input(request, payload.contact),
        owner=_owner(payload.owner),
        status=payload.status,
    )
    return _shown(request, JOB, JobOut, _jobs().get(pk=job.pk), 201)


@router.get("/jobs/{job_id}", response=JobOut)
def get_job(request: HttpRequest, job_id: Id):
    require(request, VIEW_CLIENTS)
    return _shown(request, JOB, JobOut, _job(request, job_id))


@router.patch("/jobs/{job_id}", response=JobOut)
def update_job(request: HttpRequest, job_id: Id, payload: JobPatch):
    require(request, CHANGE_CLIENTS)
    changes = changed_fields(payload)
    if "contact" in changes:
        changes["contact"] = _contact_for_input(request, changes["contact"])
    if "owner" in changes:
        changes["owner"] = _owner(changes["owner"])
    job = services.update_job(_job(request, job_id), actor=request.user, **changes)
    return _shown(request, JOB, JobOut, _jobs().get(pk=job.pk))


@router.delete("/jobs/{job_id}", response={204: None})
def delete_job(request: HttpRequest, job_id: Id):
    require(request, CHANGE_CLIENTS)
    services.delete_job(_job(request, job_id), actor=request.user)
    return Status(204, None)
