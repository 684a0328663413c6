"""Schemathesis over the whole OpenAPI document: no generated request, valid or not, may
answer a server error (issue 10), and documented responses match their schemas.

The fuzzer runs as its own process (`st run`) against pytest-django's live server on
127.0.0.1, which serves the test database this run already made (SQLite or PostgreSQL),
loaded with the demo facility. A live server rather than `postdesk serve` on a spare
port: no port to race for, no second database to migrate and drop, nothing left running
if the test dies, and the same database engine the rest of the suite runs on.

Deterministic and bounded: `--generation-deterministic` (a fixed sequence of examples,
no example database carried between runs), a fixed number of examples per operation and
a timeout on the whole run. The demo's own ids and some instants inside the accepted
window are offered to the generator as dictionaries, so requests reach past "no such
booking" into the code that validates and writes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.demo import load_demo
from postdesk.core.models import ApiToken, Site, User
from postdesk.core.services import issue_token

# reset_sequences: the demo gets the same ids on every run and database, so the same
# requests are generated.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True, reset_sequences=True)]

EXAMPLES = int(os.environ.get("POSTDESK_FUZZ_EXAMPLES", "10"))
# For a longer hunt by hand: POSTDESK_FUZZ_SEED=7 POSTDESK_FUZZ_EXAMPLES=200 (not in CI).
SEED = os.environ.get("POSTDESK_FUZZ_SEED")
# A bound on the whole run, far above its usual length, so a hung server fails the test.
RUN_TIMEOUT = int(os.environ.get("POSTDESK_FUZZ_TIMEOUT", "1500"))
ST = Path(sys.executable).with_name("st")
FUZZ_TOKEN_ID = 2**62 + 1

INSTANTS = ["2026-03-02T09:00:00Z", "2026-03-02T19:00:00+00:00", "2026-03-06T18:00:00+01:00"]
DAYS = ["2026-03-02", "2026-03-06", "2026-03-31"]
# Values that broke the server before (issue 10), offered wherever their type fits: ids
# a bigint cannot hold, the calendar's edges, NUL, digits that are not ASCII.
EDGE_INTS = [2**63, 2**63 - 1, 0, -1, -(2**63) - 1]
EDGE_INSTANTS = ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "1999-12-31T23:59:59Z"]
EDGE_DAYS = ["9999-12-31", "0001-01-01", "2100-01-01"]
EDGE_STRINGS = [*EDGE_INSTANTS, *EDGE_DAYS, str(2**63), "a\x00b", "²", "P99999999D", ""]


@pytest.fixture
def server(live_server, monkeypatch) -> str:
    """The live server's URL, answering without Nagle's delay.

    Its handler writes headers and body in separate sends; on a kept-alive connection
    the second waits for the client's delayed ACK, 40 ms a request (3 ms without)."""
    from django.test.testcases import QuietWSGIRequestHandler

    monkeypatch.setattr(QuietWSGIRequestHandler, "disable_nagle_algorithm", True)
    return live_server.url.replace("localhost", "127.0.0.1")


def _ids(model, limit: int = 20) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:limit])


def _dictionaries() -> dict[str, list]:
    """Values worth trying beside random ones: ids that exist, instants in the window."""
    from postdesk.billing import models as billing
    from postdesk.productions.models import Client, Contact, Job, Production
    from postdesk.scheduling.models import Booking, Resource, Skill

    found = {
        "bookings": _ids(Booking),
        "resources": _ids(Resource),
        "skills": _ids(Skill),
        "sites": _ids(Site),
        "clients": _ids(Client),
        "contacts": _ids(Contact),
        "productions": _ids(Production),
        "jobs": _ids(Job),
        "users": _ids(User),
        "tokens": _ids(ApiToken),
        "cards": _ids(billing.RateCard),
        "entries": _ids(billing.RateEntry),
        "quotes": _ids(billing.Quote),
        "sheets": _ids(billing.JobSheet),
        "invoices": _ids(billing.Invoice),
        "notes": _ids(billing.CreditNote),
        "lines": _ids(billing.QuoteLine) + _ids(billing.JobSheetLine),
        **_library_ids(),
        # PostgreSQL text cannot hold NUL: every search must refuse or drop it.
        "searches": ["a\x00b", "\x00", "Suite"],
        "instants": INSTANTS + EDGE_INSTANTS,
        "days": DAYS + EDGE_DAYS,
    }
    found["id_lists"] = [",".join(map(str, found["resources"][:n])) for n in (1, 2, 3)]
    found["id_lists"].append(str(2**63))
    for name in found:
        if name not in ("searches", "instants", "days", "id_lists", "codes"):
            found[name] += EDGE_INTS
    found["edge_ints"] = EDGE_INTS
    found["edge_strings"] = EDGE_STRINGS
    return found


def _library_ids() -> dict[str, list]:
    """The demo library's ids and barcodes: items, shelves, stock-takes, requests."""
    from postdesk.library import models as library

    return {
        "media": _ids(library.MediaItem),
        "places": _ids(library.Location),
        "stocktakes": _ids(library.StockTake),
        "destructions": _ids(library.DestructionRequest),
        "research": _ids(library.ResearchRequest),
        # Item and location barcodes, for the scan station: real ones reach the moves.
        "codes": [
            *library.MediaItem.objects.order_by("pk").values_list("barcode", flat=True)[:10],
            *library.Location.objects.order_by("-pk").values_list("barcode", flat=True)[:5],
        ],
    }


# Where each dictionary may stand in a request: (location.name, dictionary).
BINDINGS = [
    *[
        (f"path.{name}", dictionary)
        for name, dictionary in [
            ("booking_id", "bookings"),
            ("resource_id", "resources"),
            ("skill_id", "skills"),
            ("client_id", "clients"),
            ("contact_id", "contacts"),
            ("production_id", "productions"),
            ("job_id", "jobs"),
            ("token_id", "tokens"),
            ("card_id", "cards"),
            ("entry_id", "entries"),
            ("quote_id", "quotes"),
            ("sheet_id", "sheets"),
            ("invoice_id", "invoices"),
            ("note_id", "notes"),
            ("line_id", "lines"),
            ("media_id", "media"),
            ("location_id", "places"),
            ("stocktake_id", "stocktakes"),
            ("destruction_id", "destructions"),
            ("research_id", "research"),
        ]
    ],
    *[
        (f"query.{name}", dictionary)
        for name, dictionary in [
            ("job", "jobs"),
            ("resource", "resources"),
            ("client", "clients"),
            ("production", "productions"),
            ("resources", "id_lists"),
            ("q", "searches"),
            ("start", "instants"),
            ("end", "instants"),
            ("from", "instants"),
            ("to", "instants"),
            ("location", "places"),
            ("under", "places"),
            ("holder", "users"),
            ("code", "codes"),
        ]
    ],
    *[
        (f"body.{name}", dictionary)
        for name, dictionary in [
            ("job", "jobs"),
            ("client", "clients"),
            ("contact", "contacts"),
            ("production", "productions"),
            ("supervisor", "users"),
            ("owner", "users"),
            ("site", "sites"),
            ("location", "resources"),
            ("resources[*]", "resources"),
            ("add[*]", "resources"),
            ("remove[*]", "resources"),
            ("skills[*]", "skills"),
            ("quote", "quotes"),
            ("job_sheet", "sheets"),
            ("invoice", "invoices"),
            ("start", "instants"),
            ("end", "instants"),
            ("first_day", "days"),
            ("last_day", "days"),
            ("codes[*]", "codes"),
            ("items[*]", "media"),
            ("parents[*]", "media"),
            ("parent", "places"),
            ("holder", "users"),
            ("item", "media"),
        ]
    ],
]


def _config(path: Path) -> Path:
    """A schemathesis.toml binding the dictionaries (TOML written as JSON-quoted values)."""
    dictionaries = _dictionaries()
    lines = [
        "[generation.dictionaries]",
        'integer = { dictionary = "edge_ints", probability = 0.1 }',
        'string = { dictionary = "edge_strings", probability = 0.1 }',
        "",
    ]
    for name, values in dictionaries.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    for key, dictionary in BINDINGS:
        # Half the time a value from the dictionary, half a generated one; searches
        # mostly from theirs, which is nearly all NUL.
        probability = 0.9 if dictionary == "searches" else 0.5
        lines.append(f'"{key}" = {{ dictionary = "{dictionary}", probability = {probability} }}')
    path.write_text("\n".join(lines) + "\n")
    return path


def _fuzz(base_url: str, token: str, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(ST),
            "--config-file",
            str(config),
            "run",
            f"{base_url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--mode",
            "all",
            "--max-examples",
            str(EXAMPLES),
            *(["--seed", SEED] if SEED else ["--generation-deterministic"]),
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--no-color",
            # Our token on every request: generated credentials only earn 401s and 403s.
            "--generation-with-security-parameters",
            "false",
            "--suppress-health-check",
            "all",
            "--warnings",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        cwd=config.parent,
    )


@pytest.mark.parametrize("role", ["admin", "bookings"])
def test_no_generated_request_is_a_server_error_or_off_schema(role, server, tmp_path):
    load_demo()
    user = User.objects.get(username=role)
    issue_token(user=user, name="for the fuzzer to revoke", actor=SYSTEM)
    config = _config(tmp_path / "schemathesis.toml")
    # The fuzzer revokes tokens by id: its own sits where no generated id reaches, or
    # every request after the first revoke would be a 401.
    row, token = issue_token(user=user, name="fuzzer", actor=SYSTEM)
    ApiToken.objects.filter(pk=row.pk).update(id=FUZZ_TOKEN_ID)

    result = _fuzz(server, token, config)

    # On failure the report names each failing operation with a curl line to replay.
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
