"""Person.organisation points to the Organisation that moved to samtal.organisations."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("participants", "0010_person_organisation_required"),
    ]

    operations = [
        # The table stays where it is; only Django's idea of which app owns it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="people",
                        to="organisations.organisation",
                        verbose_name="kommun",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
