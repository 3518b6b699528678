from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .kolada import RIKET, KoladaError
from .models import Comparison

MAX_MUNICIPALITIES = 5


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_lazy("Sök nyckeltal i Kolada"),
        min_length=2,
        max_length=100,
        help_text=_lazy(
            "Skriv ord ur nyckeltalets namn, till exempel ”hemtjänst” eller ”behörighet gymnasiet”."
        ),
        error_messages={
            "min_length": _lazy("Skriv minst två tecken."),
            "required": _lazy("Skriv vad du söker."),
        },
    )


class ChooseForm(forms.Form):
    """Where the key figure is measured and what it is compared with. clean() looks the names
    up in Kolada (client given by the view) and keeps what it found in self.choice."""

    comparison = forms.ChoiceField(
        label=_lazy("Jämför med"),
        choices=Comparison.choices,
        initial=Comparison.RIKET,
        widget=forms.RadioSelect,
    )
    group = forms.CharField(
        label=_lazy("Kommungrupp att jämföra med"),
        required=False,
        max_length=200,
        help_text=_lazy("Gruppens namn i Kolada, till exempel ”Liknande kommuner, äldreomsorg”."),
    )
    municipalities = forms.CharField(
        label=_lazy("Kommuner att jämföra med"),
        required=False,
        max_length=300,
        help_text=_lazy(
            "Namn eller kommunkod, åtskilda med komma (högst fem), "
            "till exempel ”Timrå, Härnösand, 2262”."
        ),
    )
    ou = forms.CharField(
        label=_lazy("Organisatorisk enhet"),
        required=False,
        max_length=200,
        help_text=_lazy(
            "Lämna tomt för hela kommunen. Annars namnet på en enhet i Kolada, "
            "till exempel en skola eller ett äldreboende."
        ),
    )
    keep_as_favourite = forms.BooleanField(
        label=_lazy("Spara som favorit för enheten, så att nästa samtal börjar med det"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, client=None, kpi=None, municipality_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.kpi = kpi
        self.municipality_id = municipality_id
        self.choice = None
        self.fields["group"].hide_optional = True
        self.fields["municipalities"].hide_optional = True

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        comparison = data.get("comparison")
        if comparison == Comparison.GROUP and not data.get("group", "").strip():
            self.add_error("group", _("Skriv kommungruppens namn, eller välj en annan jämförelse."))
        if comparison == Comparison.MUNICIPALITIES and not data.get("municipalities", "").strip():
            self.add_error(
                "municipalities", _("Skriv minst en kommun, eller välj en annan jämförelse.")
            )
        if self.errors:
            return data
        try:
            self.choice = self._look_up(data)
        except KoladaError as error:
            raise forms.ValidationError(
                _(
                    "Kolada kunde inte fråga just nu: %(error)s "
                    "Det du skrev finns kvar; försök igen."
                )
                % {"error": error}
            ) from error
        return data

    def _look_up(self, data):
        choice = {
            "kpi_id": self.kpi.id,
            "title": self.kpi.title,
            "description": self.kpi.description,
            "is_divided_by_gender": self.kpi.is_divided_by_gender,
            "comparison": data["comparison"],
            "comparison_ids": [RIKET],
            "comparison_titles": [str(Comparison.RIKET.label)],
            "comparison_group_id": "",
            "comparison_group_title": "",
            "ou_id": "",
            "ou_title": "",
        }
        if data["comparison"] == Comparison.GROUP:
            group = self._one(
                "group",
                data["group"],
                self.client.municipality_groups(title=data["group"].strip()),
                _("Kolada har ingen kommungrupp som heter ”%(text)s”."),
                _("Flera kommungrupper matchar ”%(text)s”: %(names)s. Skriv hela namnet."),
            )
            if group:
                choice.update(
                    comparison_ids=[m.id for m in group.members],
                    comparison_titles=[m.title for m in group.members],
                    comparison_group_id=group.id,
                    comparison_group_title=group.title,
                )
                if not group.members:
                    self.add_error("group", _("Kommungruppen har inga kommuner i Kolada."))
        elif data["comparison"] == Comparison.MUNICIPALITIES:
            names = [n.strip() for n in data["municipalities"].split(",") if n.strip()]
            if len(names) > MAX_MUNICIPALITIES:
                self.add_error(
                    "municipalities",
                    _("Välj högst %(max)s kommuner, så att diagrammet går att läsa.")
                    % {"max": MAX_MUNICIPALITIES},
                )
                return None
            found = []
            for name in names:
                if name.isdigit() and len(name) == 4:
                    found.append(self.client.municipality(name))
                    continue
                municipality = self._one(
                    "municipalities",
                    name,
                    self.client.municipalities(title=name),
                    _("Kolada har ingen kommun eller region som heter ”%(text)s”."),
                    _(
                        "Flera kommuner matchar ”%(text)s”: %(names)s. "
                        "Skriv hela namnet eller kommunkoden."
                    ),
                )
                if municipality:
                    found.append(municipality)
            choice.update(
                comparison_ids=[m.id for m in found],
                comparison_titles=[m.title for m in found],
            )
        if data.get("ou", "").strip():
            ou = self._one(
                "ou",
                data["ou"],
                self.client.organisational_units(self.municipality_id, title=data["ou"].strip()),
                _("Kolada har ingen organisatorisk enhet i kommunen som heter ”%(text)s”."),
                _("Flera enheter matchar ”%(text)s”: %(names)s. Skriv hela namnet."),
            )
            if ou:
                choice.update(ou_id=ou.id, ou_title=ou.title)
        return None if self.errors else choice

    def _one(self, field, text, found, none_message, many_message):
        text = text.strip()
        exact = [item for item in found if item.title.casefold() == text.casefold()]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if not found:
            self.add_error(field, none_message % {"text": text})
        else:
            names = ", ".join(f"”{item.title}”" for item in found[:8])
            if len(found) > 8:
                names += " …"
            self.add_error(field, many_message % {"text": text, "names": names})
        return None
