from django import forms
from django.utils.translation import gettext_lazy as _


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Namn eller e-postadress"),
        max_length=200,
        error_messages={"required": _("Skriv ett namn eller en e-postadress att söka på.")},
    )


class ForgetForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Vad ska göras?"),
        choices=[
            (
                "pseudonymisering",
                _(
                    "Pseudonymisera: namn och e-postadress ersätts överallt, kontot stängs; "
                    "det personen skrivit finns kvar utan namn"
                ),
            ),
            (
                "radering",
                _(
                    "Radera: som ovan, och dessutom raderas personens förberedelser, "
                    "utvärderingar och annat som bara hör till personen"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj pseudonymisering eller radering.")},
    )
    case_reference = forms.CharField(
        label=_("Ärende- eller diarienummer"),
        max_length=100,
        error_messages={"required": _("Skriv ärendets nummer, så att åtgärden går att följa upp.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Jag har prövat begäran och vet att det inte går att ångra (allmänna handlingar "
            "som ska bevaras enligt arkivlagen gallras inte)."
        ),
        error_messages={"required": _("Bekräfta att begäran är prövad.")},
    )
