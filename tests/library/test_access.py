"""Every role against the library's endpoints and pages, the expected status derived from
core/roles.py: allowed roles get the success status, the others a 403 and nothing
written. Client users hold view_media for their own company's media, but locations are
the facility's own (403 to them whatever the matrix says)."""

import pytest

from postdesk.core.models import AuditEntry
from postdesk.core.roles import (
    DISPATCH_MEDIA,
    MANAGE_LIBRARY,
    MOVE_MEDIA,
    ROLE_NAMES,
    ROLES,
    VIEW_MEDIA,
)

pytestmark = pytest.mark.django_db

STAFF_ONLY = "staff-only"

# (name, method, path, body, capability, success status); {item}, {shelf} from `world`.
API = [
    ("media list", "get", "media", None, VIEW_MEDIA, 200),
    ("media get", "get", "media/{item}", None, VIEW_MEDIA, 200),
    ("media history", "get", "media/{item}/history", None, VIEW_MEDIA, 200),
    ("media lineage", "get", "media/{item}/lineage", None, VIEW_MEDIA, 200),
    (
        "media create",
        "post",
        "media",
        {
            "title": "New",
            "kind": "tape",
            "format": "hdcam",
            "generation": "dub",
            "location": "{shelf}",
        },
        MANAGE_LIBRARY,
        201,
    ),
    ("media patch", "patch", "media/{item}", {"reel": "R9"}, MANAGE_LIBRARY, 200),
    ("media move", "post", "media/{item}/move", {"location": "{shelf}"}, MOVE_MEDIA, 200),
    (
        "media dispatch",
        "post",
        "media/{item}/dispatch",
        {"courier": "DHL", "destination": "ITV"},
        DISPATCH_MEDIA,
        200,
    ),
    ("locations", "get", "locations", None, STAFF_ONLY, 200),
    ("location create", "post", "locations", {"name": "Bay", "kind": "room"}, MANAGE_LIBRARY, 201),
]

PAGES = [
    ("home", "/library/", VIEW_MEDIA),
    ("media", "/library/media/", VIEW_MEDIA),
    ("item", "/library/media/{item}/", VIEW_MEDIA),
    ("register", "/library/media/new/", MANAGE_LIBRARY),
    ("edit", "/library/media/{item}/edit/", MANAGE_LIBRARY),
    ("move", "/library/media/{item}/move/", MOVE_MEDIA),
    ("check out", "/library/media/{item}/check-out/", MOVE_MEDIA),
    ("dispatch", "/library/media/{item}/dispatch/", DISPATCH_MEDIA),
    ("overdue", "/library/overdue/", VIEW_MEDIA),
    ("locations", "/library/locations/", STAFF_ONLY),
    ("location", "/library/locations/{shelf}/", STAFF_ONLY),
    ("location new", "/library/locations/new/", MANAGE_LIBRARY),
    ("research", "/library/research/", VIEW_MEDIA),
]


def allowed(role: str, capability: str) -> bool:
    if capability == STAFF_ONLY:
        return VIEW_MEDIA in ROLES[role]["capabilities"] and not ROLES[role].get("outside")
    return capability in ROLES[role]["capabilities"]


@pytest.fixture
def world(register, production, vault):
    item = register(client=production.client, production=production)
    return {"item": item.pk, "shelf": vault["shelf2"].pk}


def fill(template, world):
    if isinstance(template, dict):
        return {k: fill(v, world) for k, v in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return world[template[1:-1]]
    return template.format(**world) if isinstance(template, str) else template


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("method", "path", "body", "capability", "ok"), [pytest.param(*e[1:], id=e[0]) for e in API]
)
def test_api(role, method, path, body, capability, ok, world, api_as):
    api = api_as(role)
    before = AuditEntry.objects.count()
    call = getattr(api, method)
    url = fill(path, world)
    response = call(url) if body is None else call(url, fill(body, world))

    if allowed(role, capability):
        assert response.status_code == ok, response.content
    else:
        assert response.status_code == 403, response.content
        assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("path", "capability"), [pytest.param(*p[1:], id=p[0]) for p in PAGES])
def test_pages(role, path, capability, world, page_as):
    response = page_as(role).get(fill(path, world))

    assert response.status_code == (200 if allowed(role, capability) else 403)
