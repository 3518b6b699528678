"""Existing users become members of the organisations they already work in.

An installation with one organisation: every user becomes a member of it. With several: a
user becomes a member of the organisations whose meetings they created or took part in.
Roles: planner for staff and for whoever created or led a meeting; kommunledning for whoever
had the permission `meetings.review_archive` (directly or through a group); organisation
administrator for staff.
"""

from django.db import migrations
from django.db.models import Q


def forward(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Organisation = apps.get_model("meetings", "Organisation")
    Meeting = apps.get_model("meetings", "Meeting")
    Membership = apps.get_model("meetings", "Membership")
    Participation = apps.get_model("participants", "Participation")
    organisations = list(Organisation.objects.all())
    if not organisations:
        return
    review = Q(user_permissions__codename="review_archive") | Q(
        groups__permissions__codename="review_archive"
    )
    reviewers = set(User.objects.filter(review).values_list("pk", flat=True))
    for user in User.objects.all():
        created = set(
            Meeting.objects.filter(created_by=user).values_list("unit__organisation_id", flat=True)
        )
        led = set(
            Participation.objects.filter(person__user=user, role="samtalsledare").values_list(
                "meeting__unit__organisation_id", flat=True
            )
        )
        took_part = set(
            Participation.objects.filter(person__user=user).values_list(
                "meeting__unit__organisation_id", flat=True
            )
        )
        wanted = {organisations[0].pk} if len(organisations) == 1 else created | took_part
        for organisation_id in wanted:
            Membership.objects.get_or_create(
                user=user,
                organisation_id=organisation_id,
                defaults={
                    "is_planner": user.is_staff or organisation_id in created | led,
                    "is_reviewer": user.pk in reviewers,
                    "is_admin": user.is_staff,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_memberships_and_active_units"),
        ("participants", "0005_alter_preparationanswer_step"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
