"""The organisation administrator's forms: units, members and their roles, settings."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samtal.a3.pdf import logo_type
from samtal.meetings.models import Unit
from samtal.organisations.models import Membership, Organisation

LOGO_MAX_BYTES = 2 * 1024 * 1024


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "is_active"]
        labels = {"name": _("Namn"), "kind": _("Typ"), "is_active": _("Aktiv")}
        help_texts = {
            "is_active": _(
                "En inaktiv enhet erbjuds inte för nya samtal; dess samtal och arkiv finns kvar."
            )
        }
        error_messages = {"name": {"required": _("Skriv enhetens namn.")}}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Unit.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("Det finns redan en enhet med det namnet."))
        return name

    def save(self, commit=True):
        self.instance.organisation = self.organisation
        return super().save(commit=commit)


class RolesForm(forms.ModelForm):
    """A member's roles in the organisation."""

    class Meta:
        model = Membership
        fields = ["is_planner", "is_reviewer", "is_admin"]

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user

    def clean(self):
        cleaned = super().clean()
        member = self.instance
        if (
            member.user_id == getattr(self.acting_user, "pk", None)
            and member.is_admin
            and not cleaned.get("is_admin")
            and not self.acting_user.is_superuser
        ):
            raise ValidationError(
                _(
                    "Du kan inte ta bort din egen administratörsroll; be en annan "
                    "administratör göra det."
                )
            )
        return cleaned


class MemberForm(forms.Form):
    """Add a colleague: an existing account (found by email) or a new one."""

    name = forms.CharField(
        label=_("Namn"), max_length=150, error_messages={"required": _("Skriv personens namn.")}
    )
    email = forms.EmailField(
        label=_("E-post"),
        error_messages={
            "required": _("Skriv personens e-postadress."),
            "invalid": _("Det här är ingen giltig e-postadress, till exempel anna.berg@kommun.se."),
        },
    )
    is_planner = forms.BooleanField(label=_("Planerar samtal"), required=False, initial=True)
    is_reviewer = forms.BooleanField(label=_("Kommunledning"), required=False)
    is_admin = forms.BooleanField(label=_("Administratör"), required=False)
    password = forms.CharField(
        label=_("Lösenord för ett lokalt konto"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Lämna tomt om personen loggar in med organisationens inloggningstjänst (SSO). "
            "Minst 12 tecken."
        ),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, prefix="ny", **kwargs)
        self.organisation = organisation
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if Membership.objects.filter(
            organisation=self.organisation, user__email__iexact=email
        ).exists():
            raise ValidationError(_("%(email)s är redan med i organisationen.") % {"email": email})
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if password and len(password) < 12:
            raise ValidationError(_("Lösenordet behöver minst 12 tecken."))
        return password

    def save(self):
        data = self.cleaned_data
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(email__iexact=data["email"]).order_by("id").first()
            if user is None:
                first, _space, last = data["name"].partition(" ")
                user = User(
                    username=unique_username(data["email"]),
                    email=data["email"],
                    first_name=first,
                    last_name=last,
                )
                if data["password"]:
                    user.set_password(data["password"])
                else:
                    user.set_unusable_password()
                user.save()
            return Membership.objects.create(
                user=user,
                organisation=self.organisation,
                is_planner=data["is_planner"],
                is_reviewer=data["is_reviewer"],
                is_admin=data["is_admin"],
            )


def unique_username(email):
    User = get_user_model()
    base = email.lower()[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "resident_term", "logo", "planners_may_add_units"]
        labels = {
            "name": _("Namn"),
            "resident_term": _("Invånarbegrepp"),
            "logo": _("Logotyp"),
            "planners_may_add_units": _("Den som planerar ett samtal får lägga till en ny enhet"),
        }
        help_texts = {
            "resident_term": _(
                "Ersätter ”Sundsvallsbon” i samtalsmallens frågor, till exempel ”Malmöbon” "
                "eller ”invånaren”."
            ),
        }
        error_messages = {
            "name": {
                "required": _("Skriv organisationens namn."),
                "unique": _("Det finns redan en organisation med det namnet."),
            },
            "resident_term": {"required": _("Skriv ett invånarbegrepp, till exempel ”invånaren”.")},
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES:
            raise ValidationError(_("Logotypen får vara högst 2 MB."))
        if logo and hasattr(logo, "content_type"):  # a new upload: judged by its content
            logo.seek(0)
            data = logo.read()
            logo.seek(0)
            if logo_type(data) is None:
                raise ValidationError(_("Logotypen måste vara en PNG-, JPEG- eller SVG-bild."))
        return logo
