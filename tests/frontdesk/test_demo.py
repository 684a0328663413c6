"""The front desk's demo day loads through the services."""

import pytest

from postdesk.core.demo import load_demo
from postdesk.frontdesk.models import RunnerTask, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_has_runner_tasks_in_every_state_and_visitors_in():
    lines = load_demo()
    assert any(line.startswith("demo:postdesk.frontdesk:") for line in lines), lines
    states = set(RunnerTask.objects.values_list("status", flat=True))
    assert states == {"open", "claimed", "started", "done"}
    assert Visit.objects.filter(kind="contractor", signed_out_at=None).count() == 1
    assert Visit.objects.filter(signed_out_at=None).count() >= 1


def test_the_demo_has_traffic_catering_charged_to_jobs_and_supplies_to_buy():
    from postdesk.frontdesk import supplies
    from postdesk.frontdesk.models import CateringOrder, Delivery, Dispatch

    load_demo()
    assert Delivery.objects.count() == 2 and Dispatch.objects.count() == 1
    assert Delivery.objects.filter(media__isnull=False).count() == 1
    assert Dispatch.objects.get().media.count() == 1
    orders = CateringOrder.objects.all()
    assert orders.count() >= 1
    assert all(o.sheet_line_id is not None for o in orders)
    assert [i.name for i in supplies.shopping_list()] == ["Oat milk", "Tea bags"]
