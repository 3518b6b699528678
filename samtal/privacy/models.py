from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRequest(models.Model):
    """A handled request about one person: a register extract, a pseudonymisation or an
    erasure. Kept without the person's name (only the person's number), so the log itself
    does not undo an erasure."""

    class Kind(models.TextChoices):
        EXTRACT = "registerutdrag", _("Registerutdrag")
        PSEUDONYMISE = "pseudonymisering", _("Pseudonymisering")
        ERASE = "radering", _("Radering")

    kind = models.CharField(_("åtgärd"), max_length=20, choices=Kind.choices)
    person_number = models.PositiveBigIntegerField(_("personens nummer"))
    case_reference = models.CharField(_("ärende/diarienummer"), max_length=100, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    done_at = models.DateTimeField(_("när"), auto_now_add=True)
    summary = models.JSONField(_("vad som ändrades"), default=dict, blank=True)

    class Meta:
        verbose_name = _("dataskyddsåtgärd")
        verbose_name_plural = _("dataskyddsåtgärder")
        ordering = ["-done_at", "-id"]
        permissions = [
            (
                "handle_personal_data",
                _("Kan ta fram registerutdrag och pseudonymisera eller radera personer"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["registerutdrag", "pseudonymisering", "radering"]),
                name="privacy_request_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – person nr {self.person_number}"
