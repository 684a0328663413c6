"""The item page's custody actions, each its own page and URL: move, check out, check
in, dispatch, receive. Each form calls one service; its refusals show on the form."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from postdesk.core.roles import DISPATCH_MEDIA, MOVE_MEDIA
from postdesk.library import services
from postdesk.library.forms import CheckInForm, CheckOutForm, DispatchForm, MoveForm, ReceiveForm
from postdesk.library.views import items_for
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page


def _action(request, pk: int, form_class, service, *, verb: str, done: str):
    """The page of one custody action: `service(item, **form data, actor=...)`; on
    success the message `done` is formatted with the item as it now is."""
    item = get_object_or_404(items_for(request.user), pk=pk)
    back = reverse("library:media-detail", args=[pk])

    def run(**data):
        service(item, **data)
        return items_for(request.user).get(pk=pk)

    return form_page(
        request,
        form_class(request.POST or None),
        run,
        actor=request.user,
        done=lambda moved: (done.format(item=moved), back),
        title=f"{verb} {item.barcode} {item.title}",
        cancel_url=back,
    )


@capability_required(MOVE_MEDIA)
def move(request, pk: int):
    return _action(
        request,
        pk,
        MoveForm,
        lambda item, location, **rest: services.move(item, location, **rest),
        verb="Move",
        done="Moved {item.barcode} to {item.location.name}.",
    )


@capability_required(MOVE_MEDIA)
def check_out(request, pk: int):
    return _action(
        request,
        pk,
        CheckOutForm,
        services.check_out,
        verb="Check out",
        done="Checked out {item.barcode}, due back {item.due_back:%-d %b %Y}.",
    )


@capability_required(MOVE_MEDIA)
def check_in(request, pk: int):
    return _action(
        request,
        pk,
        CheckInForm,
        lambda item, location, **rest: services.check_in(item, location, **rest),
        verb="Check in",
        done="Checked in {item.barcode} to {item.location.name}.",
    )


@capability_required(DISPATCH_MEDIA)
def dispatch(request, pk: int):
    return _action(
        request,
        pk,
        DispatchForm,
        services.dispatch,
        verb="Dispatch",
        done="Dispatched {item.barcode} with {item.courier}.",
    )


@capability_required(DISPATCH_MEDIA)
def receive(request, pk: int):
    return _action(
        request,
        pk,
        ReceiveForm,
        lambda item, location, **rest: services.receive(item, location, **rest),
        verb="Receive",
        done="Received {item.barcode} into {item.location.name}.",
    )
