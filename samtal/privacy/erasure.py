"""Pseudonymisation and erasure of a person (GDPR art. 17, within what public-records law
allows).

Both replace the person's identity everywhere it is stored while the meetings' documents
keep their meaning: the person becomes "Person borttagen (nr N)", their name and email
address are replaced in every text (A3 entries, the change log's before/after texts, edit
conflicts, emails sent to others, evaluations, the search index…), rows that only exist to
reach their address are deleted (sent-email log, survey invitations), their account is
closed, and the search index and any archived PDF of the meetings concerned are made anew.
Erasure also deletes what the person wrote for themselves (preparations, evaluations) and
the other rows that belong only to their participations; entries in the A3 stay.
"""

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from . import walk

# Rows owned by a participation that are kept on erasure: part of the meeting's record.
KEPT_ON_ERASURE = {"evaluations.PerspectiveSplit": {"is_group_entry": True}}


def pseudonym(person):
    return _("Person borttagen (nr %(number)s)") % {"number": person.pk}


def _covered(row, organisation):
    return organisation is None or walk.row_in_organisation(row, organisation)


def _replace_text(person, label, summary, meetings, organisation=None):
    pattern = walk.mention_pattern(person)
    if pattern is None:
        return
    for model, row, fields in walk.mentions(person):
        if not _covered(row, organisation):
            continue
        changed = []
        for name in fields:
            field = model._meta.get_field(name)
            value = pattern.sub(label, getattr(row, name))
            if field.max_length:
                value = value[: field.max_length]
            setattr(row, name, value)
            changed.append(name)
        model._base_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in changed})
        summary[model._meta.label] = summary.get(model._meta.label, 0) + 1
        meeting_id = getattr(row, "meeting_id", None)
        if meeting_id:
            meetings.add(meeting_id)


def _delete_owned_rows(owners, summary):
    """Rows that belong only to the person or one of their participations (cascade)."""
    for owner in owners:
        for relation in walk.reverse_relations(type(owner)):
            if not walk.owned(relation):
                continue
            label = relation.related_model._meta.label
            rows = walk.rows_pointing_at(owner, relation)
            if label in KEPT_ON_ERASURE:
                rows = rows.exclude(**KEPT_ON_ERASURE[label])
            count, _details = rows.delete()
            if count:
                summary[label] = summary.get(label, 0) + count


def _close_account(user, label, summary):
    from django.contrib.sessions.models import Session

    for record in walk.login_records(user.get_username()):
        record.delete()
        summary["inloggningsposter"] = summary.get("inloggningsposter", 0) + 1
    sessions = walk.sessions_of(user)
    Session.objects.filter(session_key__in=[s.session_key for s in sessions]).delete()
    user.username = f"borttagen-{user.pk}"
    user.first_name = label[:150]
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.password = make_password(None)
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    summary["användarkonto"] = 1


def _refresh_documents(meeting_ids):
    """The search index and archived PDFs of the meetings concerned are made anew."""
    Meeting = apps.get_model("meetings", "Meeting")
    from samtal.archive.search import index_meeting

    meetings = list(Meeting.objects.filter(pk__in=meeting_ids))
    for meeting in meetings:
        if meeting.status == Meeting.Status.FINISHED:
            index_meeting(meeting)
    caches["live"].clear()
    return meetings


def _rearchive(meetings):
    from samtal.archive.pdfs import archive_pdf

    Meeting = apps.get_model("meetings", "Meeting")
    count = 0
    for meeting in meetings:
        if hasattr(meeting, "archived_a3"):
            Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
            meeting.refresh_from_db()
            archive_pdf(meeting)
            count += 1
    return count


def account_elsewhere(user, organisation):
    """Whether the account also works in, or takes part in, another organisation (then an
    organisation's privacy officer does not close it)."""
    others = ~models.Q(organisation=organisation)
    return (
        user.memberships.filter(others).exists()
        or walk.person_model()._base_manager.filter(others, user=user).exists()
    )


def forget(person, *, erase=False, organisation=None):
    """Pseudonymise (or, with erase=True, erase) the person; returns what changed, per kind.

    With an organisation (its privacy officer), only that organisation's rows change, and
    the account is closed only if it belongs to no other organisation."""
    summary = {}
    label = pseudonym(person)
    with transaction.atomic():
        participations = list(walk.participation_model()._base_manager.filter(person=person))
        meetings = {p.meeting_id for p in participations}
        for model, row, _field in walk.rows_with_email(person):
            if model in (walk.person_model(), walk.user_model()) or not _covered(row, organisation):
                continue
            meeting_id = getattr(row, "meeting_id", None) or getattr(
                getattr(row, "participation", None), "meeting_id", None
            )
            if meeting_id:
                meetings.add(meeting_id)
            row.delete()
            summary[model._meta.label] = summary.get(model._meta.label, 0) + 1
        _replace_text(person, label, summary, meetings, organisation)
        if erase:
            _delete_owned_rows([*participations, person], summary)
        user = person.user
        if user is not None and (organisation is None or not account_elsewhere(user, organisation)):
            _close_account(user, label, summary)
        elif user is not None:
            summary[_("konto kvar (används i en annan organisation)")] = 1
        person.name = label
        person.email = ""
        person.save()
        # A title is what a facilitator wrote about the person for one meeting.
        titled = walk.participation_model()._base_manager.filter(person=person).exclude(title="")
        titled.update(title="")
        refreshed = _refresh_documents(meetings)
    # Rendering PDFs takes seconds each: after the transaction, so a failure leaves the
    # pseudonymisation done and the old PDF to be made again by verify_archived_pdfs.
    summary["arkiverade PDF:er gjorda på nytt"] = _rearchive(refreshed)
    return summary
