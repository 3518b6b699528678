from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

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
    from .search import index_meeting

    transaction.on_commit(lambda: index_meeting(instance))


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
    from .pdfs import archive_pdf

    archive_pdf(meeting)
