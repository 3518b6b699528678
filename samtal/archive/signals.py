from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task

from samtal.actions.models import FollowUp
from samtal.meetings.models import Meeting


@receiver(post_save, sender=Meeting, dispatch_uid="archive-index-finished-meeting")
def index_finished_meeting(sender, instance, update_fields=None, raw=False, **kwargs):
    """A meeting saved as finished is (re)indexed once the transaction commits, so the
    archive finds it however it was finished ("Avsluta samtalet", the admin, a script)."""
    if raw or instance.status != Meeting.Status.FINISHED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    transaction.on_commit(lambda: index_meeting_job.enqueue(instance.pk))


@task()
def index_meeting_job(meeting_id):
    from .search import index_meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is not None:
        index_meeting(meeting)


@receiver(post_save, sender=FollowUp, dispatch_uid="archive-index-follow-up")
def index_reported_meeting(sender, instance, raw=False, **kwargs):
    """A report on an action is searchable as soon as it is saved."""
    if raw:
        return
    from .search import index_meeting

    meeting = instance.action_item.meeting
    if meeting.status == Meeting.Status.FINISHED:
        transaction.on_commit(lambda: index_meeting(meeting))


def archive_finished_meeting(sender, meeting, **kwargs):
    """The PDF/A of a meeting just finished is rendered and stored at once."""
    import logging

    from .pdfs import archive_pdf

    try:
        archive_pdf(meeting)
    except OSError:
        # A full or unwritable disk must not stop the meeting from finishing; the PDF is
        # rendered on its first download or by `verify_archived_pdfs`.
        logging.getLogger("samtal.archive").exception(
            "Could not store the archived PDF of meeting %s", meeting.pk
        )
