import contextlib

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import PERSPECTIVE_FIELDS, QUESTION_FIELDS, Evaluation, PerspectiveSplit


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["role", *QUESTION_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in QUESTION_FIELDS}
        help_texts = {"role": _("Till exempel ordförande, förvaltningschef eller controller.")}

    def clean(self):
        """A reflection needs at least one answered question: the role alone says nothing."""
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in QUESTION_FIELDS):
            raise forms.ValidationError(
                _(
                    "Svara på minst en av frågorna innan du skickar utvärderingen. "
                    "Det räcker inte att bara fylla i din roll."
                ),
                code="empty",
            )
        return cleaned


class PerspectiveSplitForm(forms.ModelForm):
    """Five whole percentages that must sum to exactly 100."""

    class Meta:
        model = PerspectiveSplit
        fields = [*PERSPECTIVE_FIELDS, "other_what"]
        labels = {"other": _("Annat"), "other_what": _("Annat – vad?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PERSPECTIVE_FIELDS:
            field = self.fields[name]
            field.min_value = 0
            field.max_value = 100
            field.required = False
            field.widget = forms.NumberInput(
                attrs={
                    "min": 0,
                    "max": 100,
                    "step": 1,
                    "inputmode": "numeric",
                    "class": "split-input",
                    "data-split": "",
                }
            )
            field.error_messages.update(
                {
                    "invalid": _("Skriv ett heltal mellan 0 och 100."),
                    "min_value": _("Skriv ett heltal mellan 0 och 100."),
                    "max_value": _("Skriv ett heltal mellan 0 och 100."),
                }
            )
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
            field.validators += [MinValueValidator(0), MaxValueValidator(100)]

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in PERSPECTIVE_FIELDS):
            return cleaned
        for name in PERSPECTIVE_FIELDS:
            if cleaned.get(name) is None:
                cleaned[name] = 0
        total = sum(cleaned[name] for name in PERSPECTIVE_FIELDS)
        if total != 100:
            raise forms.ValidationError(
                _(
                    "Fördelningen blir %(total)s %%. Den måste bli exakt 100 %%. Ändra siffrorna "
                    "så att summan blir 100."
                ),
                code="not_100",
                params={"total": total},
            )
        if cleaned.get("other") and not cleaned.get("other_what", "").strip():
            self.add_error("other_what", _("Skriv vad ”Annat” var."))
        return cleaned

    def _post_clean(self):
        # The form has said what is wrong; the model's constraints would only repeat it.
        if self._errors:
            return
        # Empty number fields count as 0 (the model's check constraint needs a value).
        for name in PERSPECTIVE_FIELDS:
            if self.cleaned_data.get(name) is None and name not in self.errors:
                self.cleaned_data[name] = 0
        super()._post_clean()

    @property
    def total(self):
        """The sum of what was typed, for the running total shown next to the form."""
        total = 0
        for name in PERSPECTIVE_FIELDS:
            value = self[name].value()
            with contextlib.suppress(TypeError, ValueError):
                total += int(value or 0)
        return total
