"""The resource form of the pages: what a role may see of a resource, as fields.

It validates; `services.create_resource` / `update_resource` write. Working hours are
typed per weekday ("09:00-13:00, 14:00-19:00"), never as JSON; the cost fields are left
out for roles that may not see them (scheduling/visibility.py), so that saving the form
leaves them as they were.
"""

import re

from django import forms
from django.core.validators import MinValueValidator, RegexValidator
from django.db.models import Q

from postdesk.core.errors import InvalidInput
from postdesk.scheduling.models import WEEKDAYS, Resource, Skill, default_working_hours
from postdesk.scheduling.spans import validate_working_hours
from postdesk.scheduling.visibility import RESOURCE

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "09:00-19:00", "09:00 – 19:00", "9:00 to 19:00": people type dashes of every length.
_RANGE = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}[:.]\d{2})\s*$")


def _clock(text: str) -> str:
    """ "9.00" -> "09:00": the form services and the board read."""
    hour, minute = re.split(r"[:.]", text)
    return f"{int(hour):02d}:{minute}"


def parse_day(text: str, day: str) -> list[list[str]]:
    """One weekday's box: "" (closed) or comma-separated ranges -> [["09:00", "19:00"], ...]."""
    ranges = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _RANGE.match(part)
        if match is None:
            raise forms.ValidationError(f"{day}: “{part}” is not a range of times like 09:00-19:00")
        ranges.append([_clock(match[1]), _clock(match[2])])
    return ranges


def format_day(ranges) -> str:
    return ", ".join(f"{start}-{end}" for start, end in ranges or [])


class WorkingHoursWidget(forms.MultiWidget):
    """Seven text boxes, one per weekday, laid out as a small table."""

    template_name = "scheduling/widgets/working_hours.html"

    def __init__(self, attrs=None):
        box = {"placeholder": "closed", "size": 24, "autocomplete": "off", **(attrs or {})}
        super().__init__([forms.TextInput(attrs=box) for _ in WEEKDAYS], attrs)

    def decompress(self, value):
        if not isinstance(value, dict):
            return [""] * len(WEEKDAYS)
        return [format_day(value.get(day)) for day in WEEKDAYS]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["days"] = list(
            zip(DAY_NAMES, context["widget"]["subwidgets"], strict=True)
        )
        return context


class WorkingHoursField(forms.MultiValueField):
    """{"mon": [["09:00", "19:00"]], ...} from the seven boxes; an empty box is a closed day."""

    widget = WorkingHoursWidget

    def __init__(self, **kwargs):
        boxes = [forms.CharField(max_length=100, required=False) for _ in WEEKDAYS]
        super().__init__(boxes, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        data_list = data_list or [""] * len(WEEKDAYS)
        hours = {
            day: parse_day(text or "", name)
            for day, name, text in zip(WEEKDAYS, DAY_NAMES, data_list, strict=True)
        }
        try:
            return validate_working_hours(hours)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None


class ResourceForm(forms.ModelForm):
    """Create or edit a resource as `user` may: fields the visibility policy hides from
    the user's role are not on the form (and so not in what the service is given)."""

    new_skills = forms.CharField(
        label="New skills",
        required=False,
        max_length=500,
        help_text="Skills not in the list above, separated by commas; they are added to the "
        "house's skills.",
    )
    working_hours = WorkingHoursField(
        label="Working hours",
        # A new resource starts on the model's default (Mon-Fri 09:00-19:00); a new
        # ModelForm takes no initial values from its unsaved instance.
        initial=default_working_hours,
        help_text="Per day, in the site's local time: 09:00-19:00, or several spans such as "
        "09:00-13:00, 14:00-19:00 (24:00 for midnight). Leave a day empty when closed.",
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "name",
            "site",
            "bookable",
            "colour",
            "skills",
            "new_skills",
            "capacity",
            "location",
            "employment",
            "email",
            "phone",
            "day_rate",
            "currency",
            "working_hours",
            "notes",
            "sort_order",
        ]
        labels = {
            "capacity": "Seats",
            "location": "Lives in",
            "day_rate": "Day rate (cost)",
            "currency": "Cost currency",
            "sort_order": "Position on the board",
        }
        help_texts = {
            "bookable": "Unticked, it shows on the board but cannot be booked.",
            "capacity": "Rooms only.",
            "location": "Equipment only: the room it lives in.",
            "employment": "People only.",
            "day_rate": "What a freelancer costs the facility per day: internal, for the "
            "margins in cost reports; never shown to clients.",
            "sort_order": "Lower numbers come first within the site and kind.",
        }
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "skills": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RESOURCE.hidden(user) & set(self.fields):
            del self.fields[name]
        self.fields["colour"].validators.append(
            RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour such as #2563eb")
        )
        if "day_rate" in self.fields:
            self.fields["day_rate"].validators.append(MinValueValidator(0))
            self.fields["day_rate"].widget.attrs["min"] = "0"
        # Every skill is a choice: the queryset stays whole (a sliced one refuses every
        # choice on submit, as the board's filter once did).
        self.fields["skills"].queryset = Skill.objects.order_by("name")
        self.fields["skills"].required = False
        rooms = Resource.objects.filter(kind=Resource.Kind.ROOM).select_related("site")
        current = self.instance.location_id
        rooms = rooms.filter(Q(archived_at__isnull=True) | Q(pk=current)) if current else rooms
        if self.instance.pk:
            rooms = rooms.exclude(pk=self.instance.pk)
        self.fields["location"].queryset = rooms.order_by("site__name", "name")
        self.fields["location"].label_from_instance = lambda r: f"{r.name} ({r.site.name})"
        sites = self.fields["site"].queryset
        if self.instance.pk is None and len(sites[:2]) == 1:
            # A facility with one site: nothing to choose.
            self.fields["site"].initial = sites[0].pk

    def clean_new_skills(self) -> list[str]:
        names = [" ".join(n.split()) for n in self.cleaned_data.get("new_skills", "").split(",")]
        limit = Skill._meta.get_field("name").max_length
        long = [n for n in names if len(n) > limit]
        if long:
            raise forms.ValidationError(f"A skill name has at most {limit} characters")
        return [n for n in names if n]

    def clean_working_hours(self):
        hours = self.cleaned_data.get("working_hours")
        before = self.instance.working_hours if self.instance.pk else None
        # The same hours written with every weekday named are no change: keep the stored
        # form, so that saving an untouched form records nothing.
        if isinstance(before, dict) and _same_hours(before, hours):
            return before
        return hours


def _same_hours(a: dict, b: dict) -> bool:
    return all((a.get(day) or []) == (b.get(day) or []) for day in WEEKDAYS)
