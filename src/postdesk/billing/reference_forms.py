"""Forms of the pages that keep what cost reports read: exchange rates and the budget
category mapping. They parse; billing.exchange and billing.categories apply the rules."""

from django import forms

from postdesk.billing.forms import DATE
from postdesk.billing.models import Category
from postdesk.core.money import CURRENCIES

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
KIND_CHOICES = [("room", "Room"), ("equipment", "Equipment"), ("person", "Person")]


class ExchangeRateForm(forms.Form):
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label="From", initial="GBP")
    to_currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label="To", initial="USD")
    rate = forms.DecimalField(
        max_digits=16,
        decimal_places=6,
        min_value=0.000001,
        help_text="How many of the second currency one of the first buys, e.g. 1.27",
    )
    valid_from = forms.DateField(widget=DATE, help_text="Applies from this day on")
    source = forms.CharField(max_length=120, required=False, help_text="e.g. the bank's rate")

    def clean(self):
        data = super().clean()
        if data.get("currency") and data.get("currency") == data.get("to_currency"):
            self.add_error("to_currency", "Choose two different currencies")
        return data


class CategoryRuleForm(forms.Form):
    target = forms.ChoiceField(
        choices=[
            ("skill", "Skill"),
            ("resource_kind", "Kind of resource"),
            ("resource", "Resource"),
        ],
        label="Maps",
    )
    skill = forms.ModelChoiceField(queryset=None, required=False)
    resource_kind = forms.ChoiceField(
        choices=[("", "Any kind"), *KIND_CHOICES],
        required=False,
        label="Kind",
        help_text="For a skill: only resources of this kind (empty: any)",
    )
    resource = forms.ModelChoiceField(queryset=None, required=False)
    category = forms.ChoiceField(choices=Category.choices, label="Budget category")
    rank = forms.IntegerField(
        min_value=0,
        max_value=10000,
        initial=100,
        help_text="When a resource has several mapped skills, the lowest rank wins",
    )

    def __init__(self, *args, **kwargs):
        from postdesk.scheduling.models import Resource, Skill

        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.all()
        self.fields["resource"].queryset = Resource.objects.filter(
            archived_at__isnull=True
        ).select_related("site")

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target and not data.get(target):
            self.add_error(target, "Choose what this rule maps")
        return data

    def rule(self) -> dict:
        data = dict(self.cleaned_data)
        target = data.pop("target")
        keep = {"skill", "resource_kind"} if target == "skill" else {target}
        for name in ("skill", "resource_kind", "resource"):
            if name not in keep:
                data.pop(name)
        if data.get("resource_kind") is None:
            data["resource_kind"] = ""
        return data


class CategoryChangeForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices)
    rank = forms.IntegerField(min_value=0, max_value=10000)
