"""The reports' query form (GET): which months, and how utilisation is cut."""

from django import forms

from postdesk.core.timeutil import date_in_window
from postdesk.productions.models import Production

from .queries import Params, default_start
from .utilisation import KINDS


class ReportForm(forms.Form):
    start = forms.DateField(label="From the month of", required=False)
    months = forms.IntegerField(min_value=1, max_value=36, required=False, initial=12)
    period = forms.ChoiceField(
        label="Utilisation by", choices=[("month", "Month"), ("week", "Week")], required=False
    )
    group = forms.ChoiceField(
        label="Utilisation per",
        choices=[("kind", "Kind of resource"), ("resource", "Resource")],
        required=False,
    )
    kind = forms.ChoiceField(
        label="Resources",
        choices=[("", "All"), *((k, k.capitalize()) for k in KINDS)],
        required=False,
    )

    production = forms.ModelChoiceField(
        label="Burn of",
        queryset=Production.objects.select_related("client").order_by("title"),
        required=False,
        empty_label="Newest with a budget",
    )

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is not None and not date_in_window(start):
            raise forms.ValidationError("That date is outside the calendar postdesk keeps")
        return start

    def params(self) -> Params:
        data = self.cleaned_data
        return Params(
            start=(data.get("start") or default_start()).replace(day=1),
            months=data.get("months") or 12,
            period=data.get("period") or "month",
            group=data.get("group") or "kind",
            kind=data.get("kind") or None,
            production=data["production"].pk if data.get("production") else None,
        )
