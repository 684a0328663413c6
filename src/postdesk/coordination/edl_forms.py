"""The EDL import form: it validates; coordination.edl reads and stores."""

from django import forms

from postdesk.coordination import edl
from postdesk.core.timecode import RATE_NAMES


class EdlImportForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="The document it is kept as: the same title adds a version"
    )
    file = forms.FileField(
        help_text=f"A CMX 3600 EDL (.edl), at most {edl.MAX_BYTES // (1024 * 1024)} MB"
    )
    rate = forms.ChoiceField(choices=[(r, r) for r in RATE_NAMES], initial="25")
    drop_frame = forms.BooleanField(required=False, help_text="Only at 29.97 and 59.94")
