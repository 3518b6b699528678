import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.conversation_templates.models import TemplateVersion

from .models import Material, Meeting, Unit
from .uploads import ALLOWED_DESCRIPTION, detect_type, max_upload_bytes


class TemplateVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class MeetingForm(forms.ModelForm):
    """Create or edit a meeting's facts.

    A date in the past is allowed after the user confirms it. When editing, the meeting's
    version travels in the form, so a form opened before someone else's change is refused
    (with the user's input kept) instead of overwriting that change.
    """

    confirm_past_date = forms.BooleanField(
        label=_("Ja, datumet har passerat men jag vill spara ändå"), required=False
    )
    video_link = forms.URLField(
        label=_("Videolänk"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Ange en fullständig webbadress som börjar med https://.")},
    )
    new_unit = forms.CharField(
        label=_("Eller lägg till en ny enhet"),
        max_length=200,
        required=False,
        help_text=_("Skriv enhetens namn om den inte finns i listan ovan."),
    )
    new_unit_kind = forms.ChoiceField(
        label=_("Den nya enhetens typ"), choices=Unit.Kind.choices, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "theme",
            "unit",
            "date",
            "start_time",
            "location",
            "video_link",
            "purpose",
            "template_version",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"template_version": _("Samtalsmall och version")}
        help_texts = {
            "location": _("Ett mötesrum, en videolänk eller båda: minst det ena behövs."),
            "purpose": _("Förifyllt från samtalsmallen; ändra om ni vill."),
        }
        error_messages = {
            "theme": {"required": _("Skriv vad samtalet handlar om, till exempel ”Hemtjänst”.")},
            "unit": {
                "required": _("Välj vilken nämnd, förvaltning eller vilket bolag samtalet är med.")
            },
            "date": {
                "required": _("Ange samtalets datum."),
                "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD."),
            },
            "start_time": {
                "required": _("Ange när samtalet börjar."),
                "invalid": _("Ange tiden som TT:MM, till exempel 09:00."),
            },
            "template_version": {"required": _("Välj en samtalsmall.")},
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            organisation = self.instance.unit.organisation
        self.organisation = organisation
        units = Unit.objects.filter(organisation=organisation, is_active=True)
        if self.instance.pk:
            units = units | Unit.objects.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = units.distinct()
        self.fields["unit"].empty_label = _("Välj enhet …")
        self.may_add_unit = bool(organisation and organisation.planners_may_add_units)
        if self.may_add_unit:
            self.fields["unit"].required = False
            self.fields["new_unit"].hide_optional = True
        else:
            del self.fields["new_unit"]
            del self.fields["new_unit_kind"]
        versions = TemplateVersion.objects.select_related("template").available_to(organisation)
        if self.instance.pk:
            versions = versions.plannable() | versions.filter(pk=self.instance.template_version_id)
            self.fields["version"].initial = self.instance.version
            del self.fields["form_token"]
        else:
            latest = versions.preselected()
            versions = versions.plannable()
            if latest and not self.is_bound:
                self.initial.setdefault("template_version", latest.pk)
                self.initial.setdefault("purpose", latest.purpose)
            self.fields["form_token"].initial = uuid.uuid4()
            del self.fields["version"]
        self.fields["template_version"].queryset = versions.distinct()
        self.fields["template_version"].empty_label = None
        self.fields["theme"].widget.attrs["autocomplete"] = "off"
        # Either is enough, so neither is marked "(frivilligt)".
        self.fields["location"].hide_optional = True
        self.fields["video_link"].hide_optional = True
        self.date_in_past = False
        self.changed_by_other = []

    def clean_theme(self):
        theme = self.cleaned_data["theme"].strip()
        if not theme:
            raise ValidationError(self.fields["theme"].error_messages["required"])
        return theme

    def clean_template_version(self):
        version = self.cleaned_data["template_version"]
        if (
            self.instance.pk
            and version.pk != self.instance.template_version_id
            and self.instance.participations.filter(preparation__answers__isnull=False).exists()
        ):
            raise ValidationError(
                _(
                    "Mallen kan inte bytas eftersom medverkande redan har börjat förbereda sig "
                    "utifrån den nuvarande mallens frågor."
                )
            )
        return version

    def clean_new_unit(self):
        name = " ".join(self.cleaned_data["new_unit"].split())
        if name and Unit.objects.filter(organisation=self.organisation, name__iexact=name).exists():
            raise ValidationError(
                _("Enheten ”%(name)s” finns redan: välj den i listan ovan.") % {"name": name}
            )
        return name

    def save(self, commit=True):
        meeting = super().save(commit=False)
        if self.may_add_unit and not self.cleaned_data.get("unit"):
            meeting.unit = Unit.objects.create(
                organisation=self.organisation,
                name=self.cleaned_data["new_unit"],
                kind=self.cleaned_data.get("new_unit_kind") or Unit.Kind.BOARD,
            )
        if commit:
            meeting.save()
        return meeting

    def model_fields(self):
        """The meeting's columns this form writes (for save(update_fields=…))."""
        return [name for name in self.Meta.fields if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            if not self.instance.is_planned:
                raise ValidationError(_("Samtalet har startat och kan inte längre ändras."))
            sent_version = cleaned.get("version")
            if sent_version is not None and sent_version != self.instance.version:
                current = Meeting.objects.get(pk=self.instance.pk)
                self.changed_by_other = [
                    (self.fields[name].label, getattr(current, name))
                    for name in self.Meta.fields
                    if name in cleaned and cleaned[name] != getattr(current, name)
                ]
                # Re-sending the form after reading the message saves it.
                self.data = self.data.copy()
                self.data["version"] = current.version
                raise ValidationError(
                    _(
                        "Någon annan har ändrat samtalet medan du hade formuläret öppet. Dina "
                        "uppgifter är inte sparade än: jämför med de aktuella uppgifterna nedan "
                        "och spara igen om du vill att dina ska gälla."
                    ),
                    code="stale",
                )
        if (
            self.may_add_unit
            and not cleaned.get("unit")
            and not cleaned.get("new_unit")
            and not self.has_error("new_unit")
        ):
            self.add_error("unit", self.fields["unit"].error_messages["required"])
        date = cleaned.get("date")
        if date and date < timezone.localdate():
            self.date_in_past = True
            if not cleaned.get("confirm_past_date"):
                self.add_error(
                    "date",
                    _(
                        "Datumet har redan passerat. Kontrollera det, eller kryssa i rutan nedan "
                        "om samtalet ska ha det här datumet ändå."
                    ),
                )
        if (
            not cleaned.get("location")
            and not cleaned.get("video_link")
            and not self.has_error("video_link")
        ):
            self.add_error("location", _("Ange en plats eller en videolänk."))
        return cleaned


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=200,
        error_messages={"required": _("Ge underlaget en rubrik.")},
    )
    note = forms.CharField(
        label=_("Vad ska läsas?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel ”Läs sidorna 4–9 om brukarnöjdhet”."),
    )
    file = forms.FileField(
        label=_("Fil"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint eller bild, högst 25 MB."),
    )
    url = forms.URLField(
        label=_("…eller en länk"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        error_messages={"invalid": _("Ange en fullständig webbadress, till exempel https://…")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One of them is needed (the hint says so), so neither is marked "(frivilligt)".
        self.fields["file"].hide_optional = True
        self.fields["url"].hide_optional = True
        limit = max_upload_bytes()
        self.fields["file"].widget.attrs.update(
            {
                "data-max-bytes": limit,
                "data-too-large": _(
                    "Filen är för stor. Den får vara högst %(max)s MB; välj en mindre fil "
                    "eller lägg in en länk i stället."
                )
                % {"max": f"{limit / 1024 / 1024:g}".replace(".", ",")},
                "accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.png,.jpg,.jpeg,.gif,.webp",
            }
        )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return uploaded
        if uploaded.size > max_upload_bytes():
            raise ValidationError(
                _("Filen är för stor (%(size)s MB). Den får vara högst %(max)s MB.")
                % {
                    "size": f"{uploaded.size / 1024 / 1024:.1f}".replace(".", ","),
                    "max": f"{max_upload_bytes() / 1024 / 1024:g}".replace(".", ","),
                }
            )
        detected = detect_type(uploaded)
        if detected is None:
            raise ValidationError(
                _("Filen ”%(name)s” är inte av en tillåten typ. Tillåtet är %(allowed)s.")
                % {"name": uploaded.name, "allowed": ALLOWED_DESCRIPTION}
            )
        self.detected = detected
        return uploaded

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_url = bool(cleaned.get("url"))
        if self.has_error("file") or self.has_error("url"):
            return cleaned
        if has_file and has_url:
            raise ValidationError(_("Ange antingen en fil eller en länk, inte båda."))
        if not has_file and not has_url:
            raise ValidationError(_("Välj en fil att ladda upp eller ange en länk."))
        return cleaned

    def save(self, meeting, user):
        import os

        uploaded = self.cleaned_data.get("file")
        material = Material(
            meeting=meeting,
            title=self.cleaned_data["title"],
            note=self.cleaned_data["note"],
            url=self.cleaned_data.get("url") or "",
            uploaded_by=user,
        )
        if uploaded:
            extension, content_type = self.detected
            base = os.path.splitext(os.path.basename(uploaded.name))[0] or "underlag"
            material.original_name = f"{base}.{extension}"[:255]
            material.content_type = content_type
            material.size = uploaded.size
            material.file.save(f"{uuid.uuid4().hex}.{extension}", uploaded, save=False)
        material.full_clean(exclude=["file"])
        material.save()
        return material
