"""People belong to one organisation; a participant's title is kept per meeting.

Existing people get the organisation of the meetings they took part in. Someone who took part
in meetings of several organisations is split into one person per organisation (the extra
ones copied, their participations moved), so no organisation sees another's record. Each
participation keeps the title the shared record had.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_memberships_from_existing_users"),
        ("participants", "0007_client_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Three migrations (schema, data, schema), each its own transaction: PostgreSQL refuses
    # to alter a table in the transaction that changed its rows (pending trigger events).
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
    ]
