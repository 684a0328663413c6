"""Pages of notifications: the user's list (mark one or all read), their preferences,
and the unsubscribe page the mails link to, which needs no sign-in."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from postdesk.core.errors import DomainError
from postdesk.core.roles import is_outside
from postdesk.notifications import kinds, lists, queries, services
from postdesk.notifications.forms import PreferencesForm
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page, press
from postdesk.web.listing import list_page


@capability_required()
def notification_list(request):
    context = list_page(request, queries.inbox(request.user), lists.NOTIFICATIONS)
    context["unread"] = queries.unread_count(request.user)
    context["kinds"] = kinds.kinds_for(is_outside(request.user))
    return render(request, "notifications/list.html", context)


@require_POST
@capability_required()
def notification_read(request, pk: int):
    press(request, lambda: services.mark_read(pk, actor=request.user), "Marked read")
    return redirect("notifications:list")


@require_POST
@capability_required()
def notification_read_all(request):
    press(
        request,
        lambda: services.mark_all_read(actor=request.user),
        "Every notification marked read",
    )
    return redirect("notifications:list")


@capability_required()
def preferences(request):
    user = request.user
    form = PreferencesForm(
        request.POST or None,
        user_kinds=kinds.kinds_for(is_outside(user)),
        initial_modes=services.preferences_of(user),
    )
    return form_page(
        request,
        form,
        lambda **modes: services.set_preferences(actor=user, modes=modes),
        done=lambda _: ("Notification preferences saved", reverse("notifications:list")),
        title="Notification preferences",
        cancel_url=reverse("notifications:list"),
    )


# The mail's link works without signing in, and mail clients' one-click button POSTs to
# it with no CSRF token (RFC 8058): the signed token is the proof. GET only asks, since
# mail scanners follow links; the one button on the page POSTs.
@csrf_exempt
def unsubscribe(request, token: str):
    from postdesk.notifications.signing import read_unsubscribe

    try:
        _, keys = read_unsubscribe(token)
    except DomainError as exc:
        return render(request, "notifications/unsubscribe.html", {"error": exc.message}, status=404)
    labels = [kinds.KINDS[k].label for k in keys if k in kinds.KINDS]
    if request.method == "POST":
        try:
            services.unsubscribe(token)
        except DomainError as exc:
            context = {"error": exc.message}
            return render(request, "notifications/unsubscribe.html", context, status=404)
        return render(request, "notifications/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notifications/unsubscribe.html", {"labels": labels, "token": token})
