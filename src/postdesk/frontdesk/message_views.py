"""The message log's pages: each member of staff's messages (reception's whole log),
taking a message, and marking one dealt with."""

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.core.roles import HOST_VISITORS, RECEIVE_VISITORS
from postdesk.frontdesk import lists, messages
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page, press
from postdesk.web.listing import list_page


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class MessageForm(forms.Form):
    recipient = _StaffChoice(queryset=None, label="For")
    caller = forms.CharField(max_length=200, label="Who called")
    caller_company = forms.CharField(max_length=200, required=False, label="Company")
    callback_number = forms.CharField(max_length=40, required=False, label="Call back on")
    about = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, client__isnull=True)
            .order_by("first_name", "last_name", "username")
        )


@capability_required(HOST_VISITORS, internal=True)
def message_list(request):
    context = list_page(request, messages.visible_to(request.user), lists.MESSAGES)
    context["can_take"] = allowed(request.user, RECEIVE_VISITORS)
    return render(request, "frontdesk/messages.html", context)


@capability_required(RECEIVE_VISITORS, internal=True)
def message_new(request):
    return form_page(
        request,
        MessageForm(request.POST or None),
        messages.take_message,
        done=lambda m: (
            f"Message taken for {m.recipient.display_name}",
            reverse("frontdesk:messages"),
        ),
        title="Take a message",
        cancel_url=reverse("frontdesk:messages"),
        actor=request.user,
    )


@require_POST
@capability_required(HOST_VISITORS, internal=True)
def message_dealt_with(request, message_id: int):
    press(
        request,
        lambda: messages.mark_dealt_with(message_id, actor=request.user),
        "Marked dealt with",
    )
    return redirect("frontdesk:messages")
