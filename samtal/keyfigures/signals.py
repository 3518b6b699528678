from django.db.models.signals import post_save
from django.dispatch import receiver

from samtal.meetings.models import Meeting

from .choosing import start_with_favourites


@receiver(post_save, sender=Meeting, dispatch_uid="keyfigures_start_with_favourites")
def meeting_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        start_with_favourites(instance)
