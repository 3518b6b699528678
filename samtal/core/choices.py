"""The words every layer shares: a meeting's status and a person's role in it.

They live here, below the models that store them, so that the access policy and the lower
apps can name them without importing the apps above (Meeting.Status and Participation.Role
are these classes).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    RUNNING = "pagar", _("Pågår")
    FINISHED = "avslutad", _("Avslutad")


class Role(models.TextChoices):
    FACILITATOR = "samtalsledare", _("Samtalsledare")
    NOTE_TAKER = "antecknare", _("Antecknare")
    PARTICIPANT = "deltagare", _("Deltagare")
    OBSERVER = "observator", _("Observatör")
