"""PAT records: a test, its next due date by the asset's risk class, and what a failure
does (the asset out of service, its board resource unbookable)."""

import datetime

from django.db import transaction

from postdesk.core import audit
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import require_date_in_window
from postdesk.engineering import pat
from postdesk.engineering.models import Asset, PatTest
from postdesk.engineering.services.assets import update_asset


@transaction.atomic
def record_pat_test(
    *, actor, asset, tested_on: datetime.date, tester: str, result: str, notes: str = ""
) -> PatTest:
    asset = Asset.objects.select_for_update().filter(pk=getattr(asset, "pk", asset)).first()
    if asset is None:
        raise InvalidInput.field("asset", "No such asset")
    if not asset.risk_class:
        raise InvalidInput.field(
            "asset", f"Asset {asset.tag} has no risk class: set one to know when it is next due"
        )
    if not isinstance(tested_on, datetime.date) or isinstance(tested_on, datetime.datetime):
        raise InvalidInput.field("tested_on", "tested_on is a date")
    require_date_in_window(tested_on, "tested_on")
    if result not in PatTest.Result.values:
        raise InvalidInput.field("result", "result is pass or fail")
    if not isinstance(tester, str) or not tester.strip() or len(tester) > 120:
        raise InvalidInput.field("tester", "Name the tester (at most 120 characters)")
    if not isinstance(notes, str) or len(notes) > 5000:
        raise InvalidInput.field("notes", "notes is text of at most 5000 characters")
    test = PatTest.objects.create(
        asset=asset,
        tested_on=tested_on,
        tester=tester.strip(),
        result=result,
        risk_class=asset.risk_class,
        next_due=pat.next_due(tested_on, asset.risk_class),
        notes=notes,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor,
        test,
        AuditEntry.Action.CREATE,
        audit.created(test, ("asset", "tested_on", "tester", "result", "next_due")),
        f"PAT {result} for {asset.tag}",
    )
    if result == PatTest.Result.FAIL and asset.status == Asset.Status.IN_SERVICE:
        update_asset(
            asset,
            actor=actor,
            status=Asset.Status.FAULTY,
            summary=f"Out of service: {asset.tag} failed its PAT on {tested_on:%d %b %Y}",
        )
    return test
