"""Invitations (kallelse) and reminders (påminnelse), each recorded as a SentEmail."""

import copy
import datetime
import logging
import smtplib
import zoneinfo

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .links import make_token, personal_link_url
from .models import PERSONAL_LINK, SentEmail
from .preparation import missing_parts, preparation_steps

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
logger = logging.getLogger(__name__)

# What a failed delivery raises: the SMTP server refused, or could not be reached.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def without_personal_links(text):
    """The text with every personal link (…/l/<token>/…) replaced by a placeholder.

    The stored copy of an email is shown to planners; with the link in it a planner could
    open the page as the participant. (Tokens carry a timestamp, so the links are found by
    their form, not by remaking the token.)"""
    return PERSONAL_LINK.sub(_("[personlig länk]"), text)


def meeting_uid(meeting):
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "samtal"
    return f"resultatsamtal-{meeting.pk}@{host}"


def calendar_file(meeting, participation, link):
    """An iCalendar invitation (METHOD:REQUEST) for the meeting, the same UID every time."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Samtal//Resultatsamtal//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.version)
    event.add("dtstamp", timezone.now())
    start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=STOCKHOLM)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=meeting.planned_minutes or 60))
    event.add(
        "summary", _("Resultatsamtal: %(theme)s") % {"theme": " ".join(meeting.theme.split())}
    )
    location = meeting.location or meeting.video_link
    if location:
        event.add("location", location)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    description = [meeting.purpose, "", _("Förbered dig via din personliga länk:"), link]
    event.add("description", "\n".join(part for part in description if part is not None))
    organizer_email = settings.INVITATION_ORGANIZER_EMAIL or email_address(
        settings.DEFAULT_FROM_EMAIL
    )
    organizer = icalendar.vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = icalendar.vText(settings.INVITATION_ORGANIZER_NAME)
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{participation.person.email}")
    attendee.params["cn"] = icalendar.vText(participation.person.name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def email_address(value):
    return value.rsplit("<", 1)[-1].rstrip(">").strip()


def email_context(participation, link):
    meeting = participation.meeting
    organisation = meeting.unit.organisation
    token = make_token(participation)
    materials = []
    for material in meeting.materials.all():
        url = material.url or settings.SITE_URL + reverse(
            "participants:material", args=[token, material.pk]
        )
        materials.append({"title": material.title, "note": material.note, "url": url})
    return {
        "meeting": meeting,
        "participation": participation,
        "person": participation.person,
        "link": link,
        "participations": meeting.participations.select_related("person"),
        "materials": materials,
        "questions": [
            {"step": step, "prompt": step.preparation_prompt_for(organisation)}
            for step in preparation_steps(meeting)
        ],
        "rules": meeting.template_version.rules,
        "notes": meeting.template_version.preparation_notes,
    }


def send(participation, kind, subject, template, context, sender=None, ics=None, connection=None):
    text = render_to_string(f"participants/email/{template}.txt", context)
    html = render_to_string(f"participants/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[participation.person.email],
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    if ics:
        message.attach("resultatsamtal.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
    message.send()
    return SentEmail.objects.create(
        participation=participation,
        kind=kind,
        to=participation.person.email,
        subject=subject,
        body=without_personal_links(text),
        sent_by=sender if sender and sender.is_authenticated else None,
    )


def with_next_link(participation):
    """The participation as it will be once its link is replaced: links made from it carry
    the next generation, which starts working when the email was sent (EmailDelivery)."""
    upcoming = copy.copy(participation)
    upcoming.link_generation = participation.link_generation + 1
    return upcoming


def send_invitation(participation, sender=None, connection=None, new_link=False):
    meeting = participation.meeting
    if new_link:
        participation = with_next_link(participation)
    link = personal_link_url(participation)
    context = email_context(participation, link)
    subject = _("Kallelse till resultatsamtal: %(theme)s %(date)s") % {
        "theme": " ".join(meeting.theme.split()),
        "date": date_format(meeting.date, "j F Y"),
    }
    return send(
        participation,
        SentEmail.Kind.INVITATION,
        subject,
        "invitation",
        context,
        sender,
        ics=calendar_file(meeting, participation, link),
        connection=connection,
    )


def send_reminder(participation, sender=None, connection=None, new_link=False):
    meeting = participation.meeting
    link = personal_link_url(participation)
    context = email_context(participation, link)
    preparation = getattr(participation, "preparation", None)
    context["missing"] = missing_parts(meeting, preparation)
    subject = _("Påminnelse: förbered dig inför resultatsamtalet %(theme)s %(date)s") % {
        "theme": " ".join(meeting.theme.split()),
        "date": date_format(meeting.date, "j F Y"),
    }
    return send(
        participation,
        SentEmail.Kind.REMINDER,
        subject,
        "reminder",
        context,
        sender,
        connection=connection,
    )


def send_each(participations, send_one, sender=None):
    """Send to each participation; one failed delivery does not stop the others.

    Returns (sent SentEmails, participations that could not be reached). Nothing is
    recorded for those that failed."""
    sent, failed = [], []
    for participation in participations:
        try:
            sent.append(send_one(participation, sender=sender))
        except SEND_ERRORS:
            logger.exception("Could not send email to participation %s", participation.pk)
            failed.append(participation)
    return sent, failed
