"""The organisation administrator's form for one identity provider: what the button says,
the protocol's settings (kept in allauth's SocialApp) and the role mapping."""

import base64
import re

from allauth.socialaccount.models import SocialApp
from cryptography import x509
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import IdentityProvider

Protocol = IdentityProvider.Protocol

SAML_EMAIL = [
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
]
SAML_FIRST_NAME = [
    "urn:oid:2.5.4.42",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
]
SAML_LAST_NAME = [
    "urn:oid:2.5.4.4",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
]
SAML_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
URL_REQUIRED = _("Skriv en fullständig adress som börjar med https://.")


def names(text):
    return [part.strip() for part in re.split(r"[,\n]", text or "") if part.strip()]


def pem_body(text):
    """The certificate's base64 body, whether pasted as PEM or bare; ValueError if it is none."""
    body = re.sub(r"-----(BEGIN|END) CERTIFICATE-----|\s", "", text or "")
    x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
    return body


class IdentityProviderForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på knappen"),
        max_length=40,
        help_text=_(
            "Visas som ”Logga in med …” på inloggningssidan, till exempel ”kommunens konto”."
        ),
        error_messages={"required": _("Skriv vad knappen ska heta.")},
    )
    slug = forms.SlugField(
        label=_("Kortnamn i adresserna"),
        max_length=60,
        help_text=_("Små bokstäver, siffror och bindestreck. Kan inte ändras efteråt."),
        error_messages={
            "required": _("Skriv ett kortnamn, till exempel ”sundsvall”."),
            "invalid": _("Använd bara små bokstäver a–z, siffror och bindestreck."),
        },
    )
    is_active = forms.BooleanField(label=_("Aktiv (visas på inloggningssidan)"), required=False)
    # OpenID Connect
    server_url = forms.CharField(
        label=_("Utfärdare (issuer)"),
        required=False,
        help_text=_(
            "Entra ID: https://login.microsoftonline.com/<katalog-id>/v2.0. Samtal läser "
            "/.well-known/openid-configuration under den."
        ),
    )
    client_id = forms.CharField(label=_("Klient-id (application/client id)"), required=False)
    client_secret = forms.CharField(
        label=_("Klienthemlighet"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Lämna tomt för att behålla den sparade hemligheten."),
    )
    extra_scopes = forms.CharField(
        label=_("Extra scopes"),
        required=False,
        help_text=_(
            "Utöver openid, profile och email; till exempel ”groups”. Entra ID: lämna tomt."
        ),
    )
    # SAML
    idp_entity_id = forms.CharField(label=_("Inloggningstjänstens entity ID"), required=False)
    idp_metadata_url = forms.CharField(
        label=_("Metadata-adress"),
        required=False,
        help_text=_(
            "Om tjänsten publicerar metadata behövs inte fälten för adress och certifikat."
        ),
    )
    idp_sso_url = forms.CharField(
        label=_("Adress för inloggning (SSO, HTTP-Redirect)"), required=False
    )
    idp_slo_url = forms.CharField(
        label=_("Adress för utloggning (SLO)"),
        required=False,
        help_text=_("Frivillig; då loggas man ut även hos inloggningstjänsten."),
    )
    idp_x509cert = forms.CharField(
        label=_("Signeringscertifikat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Klistra in certifikatet (PEM eller base64)."),
    )
    email_attribute = forms.CharField(
        label=_("Attribut för e-post"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_name_attribute = forms.CharField(
        label=_("Attribut för förnamn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    last_name_attribute = forms.CharField(
        label=_("Attribut för efternamn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Both
    groups_claim = forms.CharField(
        label=_("Grupper finns i"),
        max_length=300,
        required=False,
        help_text=_("Namnet på claimet (OIDC) eller attributet (SAML) med personens grupper."),
    )
    role_mapping = forms.CharField(
        label=_("Grupper och roller"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            "En grupp per rad: gruppens id eller namn = roller (planerare, kommunledning, "
            "administratör). ”* = planerare” gäller alla. Rollerna sätts vid varje inloggning; "
            "lämna tomt för att sätta rollerna för hand under Personer och roller."
        ),
    )

    def __init__(self, *args, organisation, protocol=None, instance=None, **kwargs):
        self.organisation = organisation
        self.instance = instance
        self.protocol = instance.protocol if instance else protocol
        if instance and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        elif not instance:
            kwargs.setdefault("initial", self.defaults(organisation))
        super().__init__(*args, **kwargs)
        if instance:
            self.fields["slug"].disabled = True
        required = ["idp_entity_id"] if self.is_saml else ["server_url", "client_id"]
        if not self.is_saml and not instance:
            required.append("client_secret")
            self.fields["client_secret"].help_text = _(
                "Hemlighetens värde från inloggningstjänsten. Den visas aldrig igen här."
            )
        for name in required:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _("Fyll i det här fältet.")
        for field in ("role_mapping", "idp_x509cert", "groups_claim"):
            self.fields[field].widget.attrs["spellcheck"] = "false"

    @property
    def is_saml(self):
        return self.protocol == Protocol.SAML

    def defaults(self, organisation):
        values = {"is_active": True, "name": organisation.name, "slug": slugify(organisation.name)}
        if self.is_saml:
            values.update(
                email_attribute=", ".join(SAML_EMAIL),
                first_name_attribute=", ".join(SAML_FIRST_NAME),
                last_name_attribute=", ".join(SAML_LAST_NAME),
                groups_claim=SAML_GROUPS,
            )
        else:
            values["groups_claim"] = "groups"
        return values

    @staticmethod
    def initial_from(instance):
        app, settings = instance.app, instance.app.settings
        idp = settings.get("idp", {})
        mapping = settings.get("attribute_mapping", {})
        return {
            "name": app.name,
            "slug": instance.slug,
            "is_active": instance.is_active,
            "server_url": settings.get("server_url", ""),
            "client_id": app.client_id if instance.protocol == Protocol.OIDC else "",
            "extra_scopes": " ".join(
                s for s in settings.get("scope", []) if s not in ("openid", "profile", "email")
            ),
            "idp_entity_id": idp.get("entity_id", ""),
            "idp_metadata_url": idp.get("metadata_url", ""),
            "idp_sso_url": idp.get("sso_url", ""),
            "idp_slo_url": idp.get("slo_url", ""),
            "idp_x509cert": idp.get("x509cert", ""),
            "email_attribute": ", ".join(mapping.get("email", [])),
            "first_name_attribute": ", ".join(mapping.get("first_name", [])),
            "last_name_attribute": ", ".join(mapping.get("last_name", [])),
            "groups_claim": instance.groups_claim,
            "role_mapping": instance.role_mapping,
        }

    def clean_slug(self):
        if self.instance:
            return self.instance.slug
        slug = self.cleaned_data["slug"].lower()
        if IdentityProvider.objects.filter(slug=slug).exists():
            raise ValidationError(_("Kortnamnet används redan; välj ett annat."))
        return slug

    def clean_role_mapping(self):
        text = self.cleaned_data["role_mapping"].strip()
        roles.parse(text)
        return text

    def clean_idp_x509cert(self):
        text = self.cleaned_data["idp_x509cert"].strip()
        if not text:
            return ""
        try:
            return pem_body(text)
        except ValueError as error:
            raise ValidationError(
                _("Det här är inget giltigt certifikat. Klistra in hela certifikatet (PEM).")
            ) from error

    def clean(self):
        cleaned = super().clean()
        urls = (
            ["idp_metadata_url", "idp_sso_url", "idp_slo_url"] if self.is_saml else ["server_url"]
        )
        for field in urls:
            value = cleaned.get(field)
            if value:
                try:
                    URLValidator(schemes=["https", "http"])(value)
                except ValidationError:
                    self.add_error(field, URL_REQUIRED)
        if (
            self.is_saml
            and not cleaned.get("idp_metadata_url")
            and not (cleaned.get("idp_sso_url") and cleaned.get("idp_x509cert"))
        ):
            self.add_error(
                "idp_metadata_url",
                _("Ange metadata-adressen, eller både adressen för inloggning och certifikatet."),
            )
        return cleaned

    def app_settings(self, previous):
        data = self.cleaned_data
        if not self.is_saml:
            scopes = ["openid", "profile", "email", *names(data["extra_scopes"].replace(" ", ","))]
            return {
                **previous,
                "server_url": data["server_url"],
                "scope": list(dict.fromkeys(scopes)),
            }
        idp = {"entity_id": data["idp_entity_id"]}
        if data["idp_metadata_url"]:
            idp["metadata_url"] = data["idp_metadata_url"]
        for key in ("sso_url", "slo_url", "x509cert"):
            if data[f"idp_{key}"]:
                idp[key] = data[f"idp_{key}"]
        mapping = {
            "email": names(data["email_attribute"]) or SAML_EMAIL,
            "first_name": names(data["first_name_attribute"]) or SAML_FIRST_NAME,
            "last_name": names(data["last_name_attribute"]) or SAML_LAST_NAME,
        }
        advanced = {
            **previous.get("advanced", {}),
            # An assertion must be signed by the provider's key: a changed one is refused.
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            "strict": True,
        }
        return {**previous, "idp": idp, "attribute_mapping": mapping, "advanced": advanced}

    @transaction.atomic
    def save(self):
        data = self.cleaned_data
        provider = self.instance or IdentityProvider(
            organisation=self.organisation, slug=data["slug"], protocol=self.protocol
        )
        app = provider.app if self.instance else SocialApp(provider=self.protocol)
        app.name = data["name"]
        app.provider_id = provider.slug
        if self.is_saml:
            app.client_id = provider.slug  # the organisation slug in allauth's SAML URLs
        else:
            app.client_id = data["client_id"]
            if data["client_secret"]:
                app.secret = data["client_secret"]
        app.settings = self.app_settings(app.settings or {})
        app.save()
        provider.app = app
        provider.is_active = data["is_active"]
        provider.groups_claim = data["groups_claim"] or (
            "groups" if not self.is_saml else SAML_GROUPS
        )
        provider.role_mapping = data["role_mapping"]
        provider.save()
        return provider
