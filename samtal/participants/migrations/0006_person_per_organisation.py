"""People belong to one organisation; a participant's title is kept per meeting.

Existing people get the organisation of the meetings they took part in. Someone who took part
in meetings of several organisations is split into one person per organisation (the extra
ones copied, their participations moved), so no organisation sees another's record. Each
participation keeps the title the shared record had.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def forward(apps, schema_editor):
    Person = apps.get_model("participants", "Person")
    Participation = apps.get_model("participants", "Participation")
    Organisation = apps.get_model("meetings", "Organisation")
    Membership = apps.get_model("meetings", "Membership")
    first_organisation = Organisation.objects.order_by("id").values_list("id", flat=True).first()
    for person in Person.objects.all():
        Participation.objects.filter(person=person, title="").update(title=person.title)
        organisations = list(
            Participation.objects.filter(person=person)
            .values_list("meeting__unit__organisation_id", flat=True)
            .distinct()
            .order_by("meeting__unit__organisation_id")
        )
        if not organisations and person.user_id:
            organisations = list(
                Membership.objects.filter(user_id=person.user_id)
                .values_list("organisation_id", flat=True)
                .order_by("organisation_id")[:1]
            )
        if not organisations:
            if first_organisation is None:
                person.delete()  # no organisation and no meetings: nothing refers to it
                continue
            organisations = [first_organisation]
        person.organisation_id = organisations[0]
        person.save(update_fields=["organisation"])
        for organisation_id in organisations[1:]:
            copy = Person.objects.create(
                organisation_id=organisation_id,
                name=person.name,
                email=person.email,
                title=person.title,
                user_id=person.user_id,
            )
            Participation.objects.filter(
                person=person, meeting__unit__organisation_id=organisation_id
            ).update(person=copy)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_memberships_from_existing_users"),
        ("participants", "0005_alter_preparationanswer_step"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="participation",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="titel/organisation"),
        ),
        migrations.AddField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="people",
                to="meetings.organisation",
                verbose_name="kommun",
            ),
        ),
        migrations.RemoveConstraint(model_name="person", name="person_unique_email"),
        migrations.AlterField(
            model_name="person",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="persons",
                related_query_name="person",
                to=settings.AUTH_USER_MODEL,
                verbose_name="användarkonto",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="people",
                to="meetings.organisation",
                verbose_name="kommun",
            ),
        ),
        migrations.RemoveField(model_name="person", name="title"),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="person_unique_email_per_organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("organisation", "user"),
                name="person_one_per_user_and_organisation",
            ),
        ),
    ]
