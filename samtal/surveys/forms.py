from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCALE, Instrument, Response, Round


class SurveyForm(forms.Form):
    """One radio group per statement (1–7, all required), plus the respondent's function and,
    when the round is not tied to a unit, their unit."""

    function = forms.ChoiceField(
        label=_("Din funktion"),
        choices=[("", _("Välj …")), *Response.Function.choices],
        error_messages={"required": _("Välj din funktion.")},
    )

    def __init__(self, *args, round, statements, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.statements = statements
        if round.unit_id is None:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Din enhet"),
                queryset=units,
                required=False,
                empty_label=_("Vill inte ange / annan"),
            )
        choices = [(str(v), str(v)) for v in SCALE]
        for statement in statements:
            self.fields[self.field_name(statement)] = forms.TypedChoiceField(
                label=statement.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Välj ett värde från 1 till 7."),
                    "invalid_choice": _("Svaret måste vara ett värde från 1 till 7."),
                },
            )

    @staticmethod
    def field_name(statement):
        return f"p{statement.pk}"

    def statement_fields(self):
        """(statement, bound field) in order, with the group heading where it changes."""
        rows = []
        previous_group = None
        for statement in self.statements:
            rows.append(
                {
                    "statement": statement,
                    "field": self[self.field_name(statement)],
                    "new_group": statement.group if statement.group != previous_group else None,
                }
            )
            previous_group = statement.group
        return rows

    def values(self):
        return {s: self.cleaned_data[self.field_name(s)] for s in self.statements}


class RoundForm(forms.ModelForm):
    """A new round of the newest version of an instrument."""

    class Meta:
        model = Round
        fields = ["instrument", "name", "unit", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "name": {"required": _("Ge omgången ett namn, till exempel ”Före”.")},
            "instrument": {"required": _("Välj vilken självskattning omgången gäller.")},
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(
            organisation=organisation
        )
        self.fields["instrument"].queryset = Instrument.objects.latest_versions()
        self.fields["instrument"].empty_label = _("Välj …")
        self.fields["unit"].empty_label = _("Hela kommunen (den svarande väljer enhet)")
        self.fields["closes_on"].help_text = _("Lämna tomt för att hålla omgången öppen.")
        self.fields["opens_on"].error_messages["invalid"] = _("Skriv datumet som ÅÅÅÅ-MM-DD.")
        self.fields["closes_on"].error_messages["invalid"] = _("Skriv datumet som ÅÅÅÅ-MM-DD.")

    def save(self, commit=True):
        self.instance.organisation = self.organisation
        return super().save(commit=commit)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Omgången kan inte stänga innan den öppnar."))
        return cleaned

    def _post_clean(self):
        # clean() has said what is wrong next to the field; the model's constraint would
        # only repeat it above the form.
        if not self._errors:
            super()._post_clean()
