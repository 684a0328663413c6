"""The library's rows of the role matrix, their permissions in the role groups, and what
client users do not see of their own media."""

import pytest
from django.contrib.auth.models import Group

from postdesk.core.roles import (
    APPROVE_DESTRUCTION,
    DISPATCH_MEDIA,
    MANAGE_LIBRARY,
    MOVE_MEDIA,
    ROLE_NAMES,
    VIEW_MEDIA,
    can,
)
from postdesk.library import visibility

pytestmark = pytest.mark.django_db

LIBRARY_CAPABILITIES = (VIEW_MEDIA, MANAGE_LIBRARY, MOVE_MEDIA, DISPATCH_MEDIA, APPROVE_DESTRUCTION)
EXPECTED = {
    "admin": set(LIBRARY_CAPABILITIES),
    "library": {VIEW_MEDIA, MANAGE_LIBRARY, MOVE_MEDIA, DISPATCH_MEDIA},
    "runner": {VIEW_MEDIA, MOVE_MEDIA},
    "reception": {VIEW_MEDIA, DISPATCH_MEDIA},
    "supervisor": {VIEW_MEDIA, APPROVE_DESTRUCTION},
    "coordinator": {VIEW_MEDIA},
    "engineer": {VIEW_MEDIA},
    "client": {VIEW_MEDIA},
    "bookings": set(),
    "accounts": set(),
}


def test_every_role_has_exactly_its_library_capabilities(users):
    assert set(EXPECTED) == set(ROLE_NAMES)
    for role, expected in EXPECTED.items():
        held = {c for c in LIBRARY_CAPABILITIES if can(users[role], c)}
        assert held == expected, role


def test_the_role_groups_carry_the_library_permissions():
    # Written by library migration 0002 (sync_roles over core's and library's carriers).
    for role, expected in EXPECTED.items():
        codenames = set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label="library")
            .values_list("codename", flat=True)
        )
        assert codenames == expected, role


def test_client_users_do_not_see_staff_details_of_their_media(users):
    hidden = visibility.MEDIA_ITEM.hidden(users["client"])
    assert {"notes", "holder", "holder_name", "registered_by"} <= hidden
    assert visibility.MOVEMENT.hidden(users["client"]) == {
        "actor",
        "actor_label",
        "signer_name",
        "note",
    }
    for role in ("library", "runner", "supervisor"):
        assert visibility.MEDIA_ITEM.hidden(users[role]) == frozenset()
