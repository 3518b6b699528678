"""The template editor's forms. Lists (questions, rules, Underlag för samtal) are typed one
item per line: never JSON in the interface."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import Step, TemplateVersion


class LinesField(forms.CharField):
    """A list of texts, edited as one item per line."""

    widget = forms.Textarea

    def __init__(self, *args, rows=4, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"rows": rows})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class VersionForm(forms.ModelForm):
    name = forms.CharField(label=_("Mallens namn"), max_length=200)
    preparation_notes = LinesField(
        label=_("Underlag för samtal"), help_text=_("En punkt per rad."), rows=9
    )
    outline = LinesField(
        label=_("Upplägg"),
        help_text=_(
            "En punkt per rad, i ordning. {invånare} ersätts med kommunens invånarbegrepp."
        ),
        rows=9,
    )
    rules = LinesField(label=_("Regler för mötet"), help_text=_("En regel per rad."), rows=7)

    class Meta:
        model = TemplateVersion
        fields = ["title", "purpose", "preparation_notes", "outline", "rules"]
        labels = {"title": _("Rubrik på A3:an"), "purpose": _("Syfte (förifyllt i nya samtal)")}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = self.instance.template.name
        if self.instance.template.versions.filter(is_draft=False).exists():
            # The name is the template's, shared by its published versions.
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("Namnet delas av mallens alla versioner.")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        template = self.instance.template
        others = (
            type(template)
            .objects.filter(organisation=template.organisation_id)
            .exclude(pk=template.pk)
        )
        if not self.fields["name"].disabled and others.filter(name=name).exists():
            raise forms.ValidationError(_("Det finns redan en mall med det namnet."))
        return name


class StepForm(forms.ModelForm):
    questions = LinesField(label=_("Frågor"), help_text=_("En fråga per rad."), rows=3)

    class Meta:
        model = Step
        fields = [
            "key",
            "phase",
            "title",
            "minutes",
            "prompt",
            "questions",
            "record_kind",
            "entry_label",
            "reason_label",
            "is_round",
            "asks_preparation",
            "preparation_prompt",
            "max_agreed",
            "reviews_earlier_actions",
        ]
        labels = {
            "key": _("Nummer"),
            "phase": _("Fas"),
            "title": _("Rubrik"),
            "minutes": _("Minuter"),
            "prompt": _("Instruktion"),
            "record_kind": _("Vad steget antecknar"),
            "entry_label": _("Rubrik för anteckningen"),
            "reason_label": _("Rubrik för motiveringen"),
            "is_round": _("Laget runt (en i taget)"),
            "asks_preparation": _("Deltagarna förbereder steget i förväg"),
            "preparation_prompt": _("Förberedelsefråga"),
            "max_agreed": _("Högst antal överenskomna önskningar"),
            "reviews_earlier_actions": _("Rummet går igenom tidigare åtgärder här"),
        }
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 3}),
            "preparation_prompt": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 600, "data-minutes": ""}),
        }
        error_messages = {
            "key": {"required": _("Ge steget ett nummer, till exempel 2A.")},
            "title": {"required": _("Ge steget en rubrik.")},
            "minutes": {"required": _("Ange stegets minuter.")},
            "prompt": {"required": _("Skriv instruktionen som visas för rummet.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].validators += [MinValueValidator(1), MaxValueValidator(600)]
        self.fields["max_agreed"].widget.attrs["min"] = 1


class BaseStepFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The step's place in the list, in words (the formset's ORDER field).
        form.fields["ORDER"].label = _("Plats i ordningen")
        form.fields["ORDER"].help_text = _("Ändra siffran för att flytta steget.")
        form.fields["ORDER"].widget.attrs["min"] = 1
        form.fields["DELETE"].label = _("Ta bort steget")

    def clean(self):
        super().clean()
        keys = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            key = (form.cleaned_data.get("key") or "").strip()
            if key and key in keys:
                form.add_error(
                    "key", _("Numret %(key)s används redan i ett annat steg.") % {"key": key}
                )
            keys.append(key)

    def steps_in_order(self):
        """The kept steps as unsaved Step objects, in the order the user gave."""
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(
            key=lambda form: (form.cleaned_data.get("ORDER") or 10_000, self.forms.index(form))
        )
        return [form.save(commit=False) for form in kept]


def step_formset(extra=0):
    return forms.formset_factory(
        StepForm, formset=BaseStepFormSet, extra=extra, can_delete=True, can_order=True
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Mallfil (.json)"),
        help_text=_("En fil som exporterats från Samtal."),
        error_messages={"required": _("Välj en fil att importera.")},
    )
