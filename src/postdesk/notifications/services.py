"""Every write of notifications: the notices an event brings (written in the event's own
transaction, with their mail queued for after its commit), marking them read, the
preferences and the one-click unsubscribe, and the mail's outcome as the worker records
it.

Reading and marking one's own notices read are not audited: they are a person's inbox,
not the facility's records. Preferences and unsubscribes are, being choices a person may
later ask about ("why did I stop getting these?")."""

from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, events, jobs
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import is_outside
from postdesk.notifications import audience, kinds, signing
from postdesk.notifications.kinds import KINDS, Mode
from postdesk.notifications.models import Notification, NotificationMail, Preference

User = get_user_model()
MAIL_TASK = "postdesk.notifications.tasks.mail_notification"
ERROR_MAX = 300


def notify(event: events.Event) -> list[Notification]:
    """The subscriber of core/events: whom the event concerns (audience), each told once
    in the way they chose. Runs inside the publishing service's transaction."""
    kind = KINDS[event.kind]
    notice = audience.notice_for(event)
    actor_id = getattr(event.actor, "pk", None)
    # The one who did it needs no telling; the facility's texts are for its own people.
    staff = [u for u in notice.staff if u.pk != actor_id and u.is_active and not is_outside(u)]
    clients = [] if kind.internal else [u for u in notice.clients if u.pk != actor_id]
    rows = [(u, notice.staff_text, notice.staff_link) for u in staff]
    rows += [(u, notice.client_text, notice.client_link) for u in clients]
    return send(kind=event.kind, key=notice.key, rows=rows)


def send(*, kind: str, key: str, rows: Iterable[tuple]) -> list[Notification]:
    """Write a notification for each (user, text, link) whose preference for `kind` is not
    off and who was not told of `key` already; queue the immediate mails for the commit."""
    by_user = {}
    for user, text, link in rows:
        by_user.setdefault(user.pk, (user, text, link))
    if not by_user:
        return []
    modes = modes_of(list(by_user), kind)
    told = set(
        Notification.objects.filter(kind=kind, key=key, recipient_id__in=list(by_user)).values_list(
            "recipient_id", flat=True
        )
    )
    now = timezone.now()
    new = [
        Notification(
            recipient=user, kind=kind, text=text[:300], link=link[:300], key=key, created_at=now
        )
        for pk, (user, text, link) in by_user.items()
        if pk not in told and modes[pk] != Mode.OFF
    ]
    Notification.objects.bulk_create(new)
    mails = [
        NotificationMail(notification=n, how=modes[n.recipient_id])
        for n in new
        if n.recipient.email
    ]
    NotificationMail.objects.bulk_create(mails)
    for mail in mails:
        if mail.how == Mode.IMMEDIATELY:
            jobs.enqueue_on_commit(MAIL_TASK, mail.pk)
    return new


def modes_of(user_ids: list[int], kind: str) -> dict[int, str]:
    """How each user hears of `kind`: their preference, else their role's default (two
    queries, whatever the number of users)."""
    chosen = dict(
        Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "mode")
    )
    roles = _roles_of(user_ids)
    return {pk: chosen.get(pk) or kinds.default_mode(roles.get(pk), kind) for pk in user_ids}


def _roles_of(user_ids: list[int]) -> dict[int, str]:
    from postdesk.core.roles import ROLES

    through = User.groups.through
    pairs = through.objects.filter(user_id__in=user_ids, group__name__in=list(ROLES)).values_list(
        "user_id", "group__name"
    )
    return dict(pairs)


def preferences_of(user) -> dict[str, str]:
    """{kind: mode} of every kind the user may hear of, defaults filled in."""
    from postdesk.core.roles import role_of

    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    role = role_of(user)
    return {
        k.key: chosen.get(k.key) or kinds.default_mode(role, k.key)
        for k in kinds.kinds_for(is_outside(user))
    }


@transaction.atomic
def set_preferences(*, actor, modes: Mapping[str, str], user=None) -> dict[str, str]:
    """Set how `user` (by default the actor) hears of the kinds named in `modes`."""
    user = user or actor
    allowed = {k.key for k in kinds.kinds_for(is_outside(user))}
    unknown = sorted(set(modes) - allowed)
    if unknown:
        raise InvalidInput.field("kind", f"No such notification kind: {', '.join(unknown)}")
    bad = sorted(k for k, m in modes.items() if m not in Mode.values)
    if bad:
        raise InvalidInput.field(
            "mode", f"Choose one of {', '.join(Mode.values)} for {', '.join(bad)}"
        )
    before = preferences_of(user)
    for kind, mode in modes.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
    after = preferences_of(user)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        audit.record(
            actor,
            user,
            AuditEntry.Action.UPDATE,
            {"notification_preferences": changed},
            f"Notification preferences of {user.username}: "
            + ", ".join(f"{KINDS[k].label} {v[1]}" for k, v in changed.items()),
        )
    return after


@transaction.atomic
def unsubscribe(token: str) -> tuple:
    """The mail's one-click unsubscribe: the kinds the signed token names are turned off
    for its user, who need not be signed in. Returns (user, kinds)."""
    user_id, kind_keys = signing.read_unsubscribe(token)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound("This unsubscribe link is no longer valid")
    allowed = {k.key for k in kinds.kinds_for(is_outside(user))}
    kind_keys = [k for k in kind_keys if k in allowed]
    set_preferences(actor=user, modes={k: Mode.OFF for k in kind_keys})
    return user, kind_keys


def _own(notification_id: int, actor) -> Notification:
    found = Notification.objects.filter(pk=notification_id, recipient_id=actor.pk).first()
    if found is None:
        raise NotFound(f"No notification with id {notification_id}")
    return found


@transaction.atomic
def mark_read(notification_id: int, *, actor) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless)."""
    notification = _own(notification_id, actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mail_sent(mail_ids: list[int], *, attempt: int) -> None:
    NotificationMail.objects.filter(pk__in=mail_ids).update(
        sent_at=timezone.now(), attempts=attempt, last_error=""
    )


@transaction.atomic
def mail_failed(mail_ids: list[int], *, attempt: int, error: Exception, last: bool) -> None:
    """Keep what went wrong on the mail rows; the notifications themselves stay as they
    are, so the person still finds them in the app."""
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    NotificationMail.objects.filter(pk__in=mail_ids).update(
        attempts=attempt, last_error=text, failed_at=timezone.now() if last else None
    )
