"""Organisations (municipalities, their companies, a shared service centre's customers) and
who belongs to them with which roles: the bottom of the apps, so that everything an
organisation owns (templates, units, people, meetings) can point down to it.

The tables were made by the meetings app; the models moved here so that the conversation
templates (a layer below meetings) can belong to an organisation.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """The municipality. Its resident term replaces {invånare} in template texts."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    resident_term = models.CharField(
        _("invånarbegrepp"),
        max_length=100,
        default="invånaren",
        help_text=_("Till exempel ”Sundsvallsbon”, ”Malmöbon” eller ”invånaren”."),
    )
    kolada_municipality_id = models.CharField(
        _("kommunkod i Kolada"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Ange kommunkoden med fyra siffror."))],
        help_text=_("Fyra siffror, till exempel 2281 för Sundsvall. Används för nyckeltal."),
    )
    logo = models.FileField(
        _("logotyp"),
        upload_to="logotyper/",
        blank=True,
        help_text=_("PNG, JPEG eller SVG; visas överst i A3:ans PDF och i handlingsplanen."),
    )
    planners_may_add_units = models.BooleanField(
        _("planerare får lägga till enheter"),
        default=False,
        help_text=_(
            "Då kan den som planerar ett samtal lägga till en ny enhet direkt i formuläret."
        ),
    )

    class Meta:
        db_table = "meetings_organisation"  # made by the meetings app, moved here (issue 16)
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def planners(self):
        return self.filter(is_planner=True)


class Membership(models.Model):
    """A user's place in one organisation, with their roles there.

    A consultant facilitator may belong to several organisations and picks which one they
    work in (kept in the session). What a role allows is decided in samtal/core/policy.py.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("kommun"),
    )
    is_planner = models.BooleanField(
        _("planerar samtal"), default=False, help_text=_("Får skapa och planera samtal.")
    )
    is_reviewer = models.BooleanField(
        _("kommunledning"),
        default=False,
        help_text=_("Läser arkivet, uppföljningen och utvärderingarna för hela organisationen."),
    )
    is_admin = models.BooleanField(
        _("administratör"),
        default=False,
        help_text=_("Hanterar enheter, personer och roller, inloggning och inställningar."),
    )
    # Set when the roles came from the identity provider's groups at the last sign-in.
    roles_from_sso = models.BooleanField(_("roller från inloggningstjänsten"), default=False)
    created_at = models.DateTimeField(_("tillagd"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        db_table = "meetings_membership"
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["organisation__name", "user__first_name", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} i {self.organisation}"

    @property
    def role_labels(self):
        labels = []
        if self.is_planner:
            labels.append(_("planerare"))
        if self.is_reviewer:
            labels.append(_("kommunledning"))
        if self.is_admin:
            labels.append(_("administratör"))
        return labels
