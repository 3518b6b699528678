"""Organisation and Membership now belong to samtal.organisations (their tables stay)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_memberships_from_existing_users"),
        ("organisations", "0001_initial"),
        ("participants", "0011_person_organisation_moved"),
        ("surveys", "0007_round_organisation_moved"),
    ]

    operations = [
        # The table stays where it is; only Django's idea of which app owns it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="unit",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="units",
                        to="organisations.organisation",
                        verbose_name="kommun",
                    ),
                ),
                migrations.DeleteModel(
                    name="Membership",
                ),
                migrations.DeleteModel(
                    name="Organisation",
                ),
            ],
            database_operations=[],
        ),
    ]
