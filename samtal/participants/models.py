import datetime
import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from samtal.core import idempotency
from samtal.core.choices import Role


class Person(models.Model):
    """Someone who takes part in an organisation's meetings, with or without an account.

    People belong to one organisation: adding someone by email finds only that
    organisation's record, never what another organisation stored. A title is what a
    facilitator wrote for one meeting, so it is kept on the Participation.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("kommun"),
    )
    name = models.CharField(_("namn"), max_length=200)
    # The name casefolded (NFC), kept by save(): searching for "öberg" finds "Öberg" on
    # SQLite too, whose LIKE folds only ASCII letters.
    name_key = models.CharField(_("namn (för sökning)"), max_length=200, blank=True, editable=False)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
        related_query_name="person",
        verbose_name=_("användarkonto"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=~Q(email=""),
                name="person_unique_email_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="person_one_per_user_and_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


def name_key(text):
    """How a name (or a searched word) is compared: NFC, casefolded."""
    return unicodedata.normalize("NFC", text or "").casefold()


def people_named(text, people=None):
    """People whose name holds every word of `text`, in any case."""
    people = Person.objects.all() if people is None else people
    for word in (text or "").split()[:10]:
        people = people.filter(name_key__contains=name_key(word))
    return people


# A second press of "Påminn" within this time (a double click, a resent form) sends nothing.
REMINDER_PAUSE = datetime.timedelta(minutes=10)


class ParticipationQuerySet(models.QuerySet):
    def with_last_reminded_at(self):
        return self.annotate(
            last_reminded_at=Max(
                "sent_emails__sent_at", filter=Q(sent_emails__kind=SentEmail.Kind.REMINDER)
            )
        )

    def needing_reminder(self, user, now):
        """Those a reminder from `user` should go to at `now`: they have an email address,
        are asked to prepare, are not `user`, have not marked their preparation as done and
        were not reminded within REMINDER_PAUSE."""
        return (
            self.with_last_reminded_at()
            .exclude(person__email="")
            .exclude(role=Participation.Role.OBSERVER)
            .exclude(person__user=user)
            .filter(Q(preparation__isnull=True) | Q(preparation__submitted_at__isnull=True))
            .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=now - REMINDER_PAUSE))
        )


class Participation(models.Model):
    """A person in one meeting, with a role."""

    Role = Role

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("samtal"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(
        _("roll"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )
    title = models.CharField(_("titel/organisation"), max_length=200, blank=True)
    # None until attendance is taken in step 1.
    present = models.BooleanField(_("närvarande"), null=True, blank=True)
    unannounced = models.BooleanField(_("kom oanmäld"), default=False)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    added_at = models.DateTimeField(_("tillagd"), auto_now_add=True)
    # Bumped to revoke the personal link: tokens carry the generation they were made for.
    link_generation = models.PositiveIntegerField(_("länkgeneration"), default=1)
    link_revoked_at = models.DateTimeField(_("länk återkallad"), null=True, blank=True)
    client_key = idempotency.client_key_field()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("medverkande")
        verbose_name_plural = _("medverkande")
        ordering = ["position", "id"]
        constraints = [
            idempotency.once_per("meeting", "participation_client_key_once"),
            models.UniqueConstraint(
                fields=["meeting", "person"], name="participation_unique_person"
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(role="samtalsledare"),
                name="participation_one_facilitator",
                violation_error_message=_("Samtalet har redan en samtalsledare."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["samtalsledare", "antecknare", "deltagare", "observator"]),
                name="participation_role_valid",
            ),
        ]
        # A person's meetings (the archive's person search and person page) without
        # reading the table: "took part in a finished meeting" is one index lookup.
        indexes = [models.Index(fields=["person", "meeting"], name="participation_person")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def personal_link_token(self):
        from .links import make_token

        return make_token(self)

    def revoke_link(self):
        """Invalidate every link sent so far; a new one can be sent afterwards."""
        from django.utils import timezone

        self.link_generation += 1
        self.link_revoked_at = timezone.now()
        self.save(update_fields=["link_generation", "link_revoked_at"])

    @property
    def speaks(self):
        """Observers watch; everyone else is asked in a round."""
        return self.role != self.Role.OBSERVER


class Preparation(models.Model):
    """A participant's preparation before the meeting."""

    participation = models.OneToOneField(
        Participation,
        on_delete=models.CASCADE,
        related_name="preparation",
        verbose_name=_("medverkande"),
    )
    opened_at = models.DateTimeField(_("öppnad"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # Bumped by every save of the answers: a save made from an older revision is a conflict.
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("förberedelse")
        verbose_name_plural = _("förberedelser")

    def __str__(self):
        return f"Förberedelse: {self.participation}"


class PreparationAnswer(models.Model):
    """One prepared item for a step, e.g. a claim with its "därför att"."""

    preparation = models.ForeignKey(
        Preparation,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("förberedelse"),
    )
    step = models.ForeignKey(
        "conversation_templates.Step",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("steg"),
    )
    text = models.TextField(_("text"), blank=True)
    reason = models.TextField(_("därför att"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    # Set when the note-taker takes the answer into the A3 (samtal.a3.live.take_prepared),
    # cleared if that record is removed; the participant sees it as "✓ intagen".
    taken_at = models.DateTimeField(_("intagen i A3:an"), null=True, blank=True)

    class Meta:
        verbose_name = _("förberett svar")
        verbose_name_plural = _("förberedda svar")
        ordering = ["step__order", "position", "id"]

    def __str__(self):
        return self.text[:60]


class SentEmailQuerySet(models.QuerySet):
    def invitations(self):
        return self.filter(kind=SentEmail.Kind.INVITATION)

    def reminders(self):
        return self.filter(kind=SentEmail.Kind.REMINDER)


class SentEmail(models.Model):
    """An email sent to one participation: who was sent what, and when."""

    class Kind(models.TextChoices):
        INVITATION = "kallelse", _("Kallelse")
        REMINDER = "paminnelse", _("Påminnelse")

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="sent_emails",
        verbose_name=_("medverkande"),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    to = models.EmailField(_("till"))
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("skickat"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skickat av"),
    )
    objects = SentEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("skickat e-postmeddelande")
        verbose_name_plural = _("skickade e-postmeddelanden")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["kallelse", "paminnelse"]), name="sent_email_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} till {self.to}"

    @property
    def body_for_planner(self):
        """The body without personal links (older rows were stored with the link in them)."""
        from .emails import without_personal_links

        return without_personal_links(self.body)


# A personal link in a text: …/l/<signed token>/… (see participants/urls.py and links.py; a
# token is "payload:timestamp:signature", which other /l/ addresses such as Teams links lack).
PERSONAL_LINK = re.compile(r"\S*/l/[\w.\-]+:[\w\-]+:[\w\-]+/\S*")


class EmailDelivery(models.Model):
    """One email on its way to one participation: waiting for the worker, sent, or failed.

    The facilitator sees the latest state per person on the plan page. A waiting (or
    sending) invitation exists at most once per participation, so two presses of "Skicka
    kallelser" at once send each invitation once."""

    class Status(models.TextChoices):
        WAITING = "vantar", _("Väntar")
        SENDING = "skickas", _("Skickas")
        SENT = "skickad", _("Skickad")
        FAILED = "misslyckad", _("Misslyckades")

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("medverkande"),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=SentEmail.Kind.choices)
    status = models.CharField(
        _("läge"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    # "Ny länk": the old link is revoked only once the email with the new one was sent.
    new_link = models.BooleanField(_("ny länk"), default=False)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    # When a job claimed it for sending: a delivery "sending" for long was left by a worker
    # that was killed mid-send (see recover_deliveries).
    claimed_at = models.DateTimeField(_("sändning påbörjad"), null=True, blank=True)
    error = models.CharField(_("fel"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("begärt av"),
    )

    # The key of the click that asked for it: a repeated click (double click, retry) queues
    # nothing twice.
    client_key = idempotency.client_key_field()

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        ordering = ["-created_at", "-id"]
        constraints = [
            idempotency.once_per("participation", "email_delivery_client_key_once"),
            models.UniqueConstraint(
                fields=["participation", "kind"],
                condition=Q(status__in=["vantar", "skickas"]),
                name="email_delivery_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} till {self.participation} ({self.get_status_display()})"

    @property
    def pending(self):
        return self.status in (self.Status.WAITING, self.Status.SENDING)
