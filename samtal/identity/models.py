"""An organisation's identity provider: OpenID Connect (Microsoft Entra ID or any standard
provider) or SAML 2.0. The protocol settings live in django-allauth's SocialApp (one per
provider); this row ties it to the organisation and holds the role mapping."""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samtal.organisations.models import Organisation

from . import roles


class IdentityProviderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class IdentityProvider(models.Model):
    class Protocol(models.TextChoices):
        OIDC = "openid_connect", _("OpenID Connect (till exempel Microsoft Entra ID)")
        SAML = "saml", _("SAML 2.0 (till exempel ADFS eller en federation som Sambi)")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("kommun"),
    )
    app = models.OneToOneField(
        SocialApp, on_delete=models.CASCADE, related_name="samtal_provider", editable=False
    )
    slug = models.SlugField(
        _("kortnamn"),
        max_length=60,
        unique=True,
        help_text=_(
            "Ingår i adresserna som inloggningstjänsten anropar, till exempel ”sundsvall”."
        ),
    )
    protocol = models.CharField(_("protokoll"), max_length=20, choices=Protocol.choices)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Visas på inloggningssidan och tar emot inloggningar."),
    )
    groups_claim = models.CharField(
        _("grupper finns i"),
        max_length=300,
        blank=True,
        default="groups",
        help_text=_(
            "Namnet på det claim (OIDC) eller attribut (SAML) som innehåller personens grupper."
        ),
    )
    role_mapping = models.TextField(
        _("grupper och roller"),
        blank=True,
        help_text=_(
            "En grupp per rad: gruppens id eller namn, likhetstecken, rollerna. "
            "”* = planerare” gäller alla som loggar in. Rollerna sätts vid varje inloggning."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("inloggningstjänst")
        verbose_name_plural = _("inloggningstjänster")
        ordering = ["organisation__name", "app__name"]

    def __str__(self):
        return self.app.name

    @property
    def name(self):
        return self.app.name

    @property
    def is_saml(self):
        return self.protocol == self.Protocol.SAML

    def login_path(self):
        if self.is_saml:
            return reverse("saml_login", kwargs={"organization_slug": self.slug})
        return reverse("openid_connect_login", kwargs={"provider_id": self.slug})

    def rules(self):
        return roles.parse(self.role_mapping)

    def groups_in(self, extra_data):
        """The person's groups in what the provider sent at sign-in (allauth's extra_data:
        SAML attributes, or OIDC's userinfo and ID token, both read since Entra ID sends
        groups only in the ID token)."""
        claim = (self.groups_claim or "groups").strip()
        sources = (
            [extra_data]
            if self.is_saml
            else [
                extra_data.get("userinfo") or {},
                extra_data.get("id_token") or {},
            ]
        )
        groups = []
        for source in sources:
            value = source.get(claim)
            if isinstance(value, str):
                value = [value]
            for item in value or []:
                if isinstance(item, str | int) and str(item) not in groups:
                    groups.append(str(item))
        return groups
