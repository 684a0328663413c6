"""Demo sites and one user per role (username = role, password "demo")."""

from postdesk.core import audit
from postdesk.core.demo import DEMO_PASSWORD
from postdesk.core.models import Site, User
from postdesk.core.roles import ROLES
from postdesk.core.services import create_site, create_user

SITES = [
    ("Soho", "soho", "Dean Street, London W1D 3RS"),
    ("Pinewood", "pinewood", "Pinewood Studios, Pinewood Road, Iver SL0 0NH"),
]

PEOPLE = {
    "admin": ("Alex", "Admin"),
    "bookings": ("Becky", "Sharp"),
    "supervisor": ("Sam", "Okafor"),
    "coordinator": ("Chloe", "Marsh"),
    "reception": ("Rita", "Patel"),
    "engineer": ("Ed", "Nakamura"),
    "library": ("Lena", "Fischer"),
    "runner": ("Ravi", "Singh"),
    "accounts": ("Anne", "Whitlock"),
}


def load() -> str:
    for name, code, address in SITES:
        if not Site.objects.filter(code=code).exists():
            create_site(name=name, code=code, address=address, actor=audit.DEMO)
    for role, (first, last) in PEOPLE.items():
        if role in ROLES and not User.objects.filter(username=role).exists():
            create_user(
                username=role,
                role=role,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{role}@postdesk.test",
                actor=audit.DEMO,
            )
    return f"{len(SITES)} sites, {len(PEOPLE)} staff users (password {DEMO_PASSWORD!r})"
