"""The forms of a screening's aftermath: attendance and feedback notes."""

from django import forms

from postdesk.coordination.attendance import MAX_NOTE
from postdesk.coordination.models import Invitee


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        queryset=Invitee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invitees who came",
    )
    walk_ins = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
        label="Walk-ins",
        help_text="Those who came without an invitation, one name a line",
    )

    def __init__(self, *args, screening, **kwargs):
        super().__init__(*args, **kwargs)
        invitees = screening.invitees.order_by("name", "pk")
        self.fields["attended"].queryset = invitees
        self.fields["attended"].label_from_instance = lambda i: f"{i.name} ({i.email})"
        if not self.is_bound:
            self.initial = {
                "attended": [i.pk for i in invitees if i.attended],
                "walk_ins": "\n".join(screening.walk_ins.values_list("name", flat=True)),
            }

    def clean_attended(self):
        return [i.pk for i in self.cleaned_data["attended"]]

    def clean_walk_ins(self):
        return self.cleaned_data["walk_ins"].splitlines()


class FeedbackForm(forms.Form):
    given_by = forms.CharField(max_length=200, required=False, help_text="Who said it, if known")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_NOTE)
