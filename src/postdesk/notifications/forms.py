"""The preferences form: one choice per kind the user may hear of."""

from django import forms

from postdesk.notifications import kinds
from postdesk.notifications.kinds import Mode


class PreferencesForm(forms.Form):
    def __init__(self, *args, user_kinds: list, initial_modes: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in user_kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                initial=initial_modes.get(kind.key),
                widget=forms.RadioSelect,
            )

    def modes(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k in kinds.KINDS}
