"""Forms of the scheduling pages: list filters and the resource calendar's week picker."""

from django import forms

from postdesk.core.errors import InvalidInput
from postdesk.core.models import Site
from postdesk.core.timeutil import require_date_in_window
from postdesk.scheduling.models import Resource, Skill


class ResourceListForm(forms.Form):
    """The resource list's filter controls; scheduling/lists.RESOURCES applies them."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Resource.Kind.choices]
    )
    site = forms.ModelChoiceField(
        label="Site", required=False, queryset=Site.objects.all(), empty_label="All sites"
    )
    skill = forms.ModelChoiceField(
        label="Skill",
        required=False,
        queryset=Skill.objects.order_by("name"),
        empty_label="Any skill",
    )
    archived = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Current"), ("yes", "Archived"), ("all", "Current and archived")],
    )


class WeekForm(forms.Form):
    week = forms.DateField(label="Week of", required=False)

    def clean_week(self):
        # A week at the calendar's edge has no next week to link to: refuse it here and
        # the page shows this week instead.
        week = self.cleaned_data.get("week")
        if week is not None:
            try:
                require_date_in_window(week, "week")
            except InvalidInput as exc:
                raise forms.ValidationError(exc.message) from None
        return week
