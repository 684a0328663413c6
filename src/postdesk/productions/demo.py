"""Demo clients, contacts, productions and jobs, and the demo client user."""

from postdesk.core import audit
from postdesk.core.demo import DEMO_PASSWORD
from postdesk.core.models import User
from postdesk.core.services import create_user
from postdesk.productions import services
from postdesk.productions.models import Client, Production

# (client, country, vat, colour, [(contact, position)], [(production, kind, [job, ...])])
CLIENTS = [
    (
        "Northlight Pictures",
        "GB",
        "GB123456789",
        "#2563eb",
        [("Hannah Reid", "Post producer"), ("Tom Baptiste", "Production accountant")],
        [("The Long Tide", "feature", ["Offline edit", "Online and grade", "Sound mix"])],
    ),
    (
        "Fennel & Stone Productions",
        "GB",
        "GB987654321",
        "#16a34a",
        [("Priya Shah", "Post supervisor")],
        [("Harbour Lights S2", "series", ["Episodes 1-3 offline", "Episodes 1-3 grade"])],
    ),
    (
        "Blue Heron Films",
        "GB",
        "GB555123999",
        "#0891b2",
        [("Oscar Whitfield", "Producer")],
        [("Marsh Country", "documentary", ["Offline and online", "Audio post"])],
    ),
    (
        "Copperline Advertising",
        "GB",
        "GB444777111",
        "#ea580c",
        [("Jess Coleman", "Agency producer")],
        [
            ("Velo Bikes 'Climb' 60s", "commercial", ["Grade and finish"]),
            ("Orchard Cider summer", "commercial", ["Online and grade"]),
        ],
    ),
    (
        "Streamwave Originals Ltd",
        "GB",
        "GB222333444",
        "#7c3aed",
        [("Maya Lindqvist", "Head of post"), ("Dev Kapoor", "Deliverables manager")],
        [("Quiet Hours", "series", ["Block 1 offline", "Block 1 grade", "Block 1 mix", "ADR"])],
    ),
    (
        "Albion Broadcasting",
        "GB",
        "GB888999000",
        "#dc2626",
        [("Gareth Pryce", "Series producer")],
        [("Coast to Coast", "series", ["Series offline", "Online and deliverables"])],
    ),
    (
        "Lumière Paris SARL",
        "FR",
        "FR12345678901",
        "#db2777",
        [("Camille Laurent", "Directrice de post-production")],
        [("La Ville Blanche", "feature", ["Grade", "Dolby Atmos mix"])],
    ),
    (
        "Kestrel Music Films",
        "GB",
        "",
        "#ca8a04",
        [("Leo Marsh", "Producer")],
        [("Anya 'Glass' promo", "promo", ["Grade and finish"])],
    ),
    (
        "Greenway Documentary Unit",
        "GB",
        "GB333222111",
        "#059669",
        [("Fatima Noor", "Post producer")],
        [("Rivers of Iron", "documentary", ["Offline", "Grade and mix"])],
    ),
    (
        "Hollis & Grant Pictures",
        "US",
        "",
        "#475569",
        [("Dana Hollis", "EVP post-production")],
        [("Signal Fire", "feature", ["Offline", "DI grade", "Final mix", "ADR sessions"])],
    ),
]


# The demo's job descriptions say what work they are; the first word found decides.
_WORK_WORDS = (
    ("adr", "adr"),
    ("screening", "screening"),
    ("mix", "mix"),
    ("audio", "mix"),
    ("grade", "grade"),
    ("online", "online"),
    ("offline", "offline"),
)


def work_type_of(description: str) -> str:
    text = description.lower()
    return next((kind for word, kind in _WORK_WORDS if word in text), "other")


def load() -> str:
    jobs = 0
    supervisor = User.objects.filter(username="supervisor").first()
    owner = User.objects.filter(username="bookings").first()
    for name, country, vat, colour, contacts, productions in CLIENTS:
        client = Client.objects.filter(name=name).first() or services.create_client(
            actor=audit.DEMO,
            name=name,
            country=country,
            vat_number=vat,
            colour=colour,
            currency="EUR" if country == "FR" else ("USD" if country == "US" else "GBP"),
            billing_address=f"{name}\n1 Example Street\nLondon W1 1AA"
            if country == "GB"
            else f"{name}\n{country}",
        )
        made = [
            services.create_contact(
                actor=audit.DEMO,
                client=client,
                name=person,
                position=position,
                email=person.lower().replace(" ", ".").replace("'", "") + "@example.com",
            )
            for person, position in contacts
            if not client.contacts.filter(name=person).exists()
        ]
        contact = made[0] if made else client.contacts.first()
        for title, kind, job_names in productions:
            production = Production.objects.filter(client=client, title=title).first()
            if production is None:
                production = services.create_production(
                    actor=audit.DEMO, client=client, title=title, kind=kind, supervisor=supervisor
                )
            for description in job_names:
                if not production.jobs.filter(description=description).exists():
                    services.create_job(
                        actor=audit.DEMO,
                        production=production,
                        description=description,
                        work_type=work_type_of(description),
                        contact=contact,
                        owner=owner,
                    )
                    jobs += 1
    first_client = Client.objects.get(name=CLIENTS[0][0])
    if not User.objects.filter(username="client").exists():
        create_user(
            username="client",
            role="client",
            password=DEMO_PASSWORD,
            first_name="Hannah",
            last_name="Reid",
            email="hannah.reid@example.com",
            client=first_client,
            actor=audit.DEMO,
        )
    return f"{len(CLIENTS)} clients, {jobs} jobs, client user for {first_client.name}"
