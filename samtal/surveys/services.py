"""Sending personal survey links."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import Invitation


def invite(round, emails):
    """Create a personal link for each new address and email it. Returns the invitations
    sent now; an address already invited to the round is not sent again."""
    sent = []
    for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
        invitation, created = Invitation.objects.get_or_create(round=round, email=email)
        if invitation.sent:
            continue
        body = render_to_string(
            "surveys/email/invitation.txt", {"round": round, "invitation": invitation}
        )
        subject = _("Självskattning: %(name)s") % {"name": round.instrument.name}
        send_mail(subject, body, None, [email])
        invitation.sent = True
        invitation.save(update_fields=["sent"])
        sent.append(invitation)
    return sent
