"""web/access: the one rule every page asks, as a decorator, inside a view, and for the
buttons a page offers; and no page module checks roles its own way."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from postdesk.core.roles import CHANGE_BUDGETS, CHANGE_MONEY, RESPOND_QUOTES, VIEW_MONEY
from postdesk.web.access import allowed, capability_required, refusal, require

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "postdesk"


def request_as(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_every_listed_capability_is_needed(users):
    assert allowed(users["accounts"], VIEW_MONEY, CHANGE_MONEY)
    assert not allowed(users["supervisor"], VIEW_MONEY, CHANGE_MONEY)
    assert refusal(users["runner"], VIEW_MONEY, CHANGE_MONEY) == (
        "Your role may not do this (needs view_money, change_money)"
    )


def test_any_of_needs_one(users):
    rule = {"any_of": (RESPOND_QUOTES, CHANGE_MONEY)}

    assert allowed(users["client"], **rule)  # respond_quotes
    assert allowed(users["bookings"], **rule)  # change_money
    assert not allowed(users["supervisor"], **rule)  # change_budgets, neither of these
    assert allowed(users["supervisor"], any_of=(CHANGE_MONEY, CHANGE_BUDGETS))


def test_internal_pages_refuse_client_users_whatever_they_hold(users):
    # The client role holds view_money (its own quotes and invoices) ...
    assert allowed(users["client"], VIEW_MONEY)
    # ... but not the facility's internal money pages (rate cards, cost reports).
    assert refusal(users["client"], VIEW_MONEY, internal=True) == "Internal to the facility"
    assert allowed(users["accounts"], VIEW_MONEY, internal=True)


def test_a_rule_asks_a_predicate_for_rights_the_matrix_does_not_name(users):
    def keeper(user):
        return user.username == "accounts-user"

    assert allowed(users["accounts"], rule=keeper)
    assert not allowed(users["admin"], rule=keeper)


def test_nobody_signed_out_is_allowed_anything(users):
    from django.contrib.auth.models import AnonymousUser

    assert not allowed(AnonymousUser(), VIEW_MONEY)
    assert allowed(AnonymousUser())  # an empty rule is only a sign-in check, done elsewhere


def test_require_raises_403_with_the_reason(users):
    require(request_as(users["accounts"]), CHANGE_MONEY)

    with pytest.raises(PermissionDenied, match="needs change_money"):
        require(request_as(users["supervisor"]), CHANGE_MONEY)


def test_the_decorator_signs_in_first_then_asks_the_rule(users):
    @capability_required(VIEW_MONEY, internal=True)
    def page(request):
        return HttpResponse("the page")

    from django.contrib.auth.models import AnonymousUser

    signed_out = page(request_as(AnonymousUser()))
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/login/")
    with pytest.raises(PermissionDenied, match="Internal to the facility"):
        page(request_as(users["client"]))
    assert page(request_as(users["accounts"])).content == b"the page"


# Ways pages used to check roles before web/access: a helper of their own raising
# PermissionDenied, asking the role's name, or Django's login_required with a check after.
OWN_CHECKS = re.compile(r"raise PermissionDenied\(|role_of\(|is_staff|@login_required")


def test_no_page_module_checks_roles_its_own_way():
    pages = [
        p
        for p in SRC.rglob("*.py")
        if p.parent.name != "web"
        and (
            p.stem in ("views", "urls", "forms")
            or p.stem.endswith(("_views", "_pages"))
            or "views" in p.relative_to(SRC).parts[:-1]
        )
    ]
    assert any(p.match("billing/views/quotes.py") for p in pages)  # the scan sees them

    offenders = {
        str(p.relative_to(SRC)): OWN_CHECKS.findall(p.read_text())
        for p in pages
        if OWN_CHECKS.search(p.read_text())
    }

    # The shell's home page needs a signed-in user and nothing more; it reads the role
    # only to send a role with a page of its own (the runner board, the front desk) there.
    assert offenders == {"shell/views.py": ["@login_required", "role_of("]}
