"""Round.organisation points to the Organisation that moved to samtal.organisations."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("surveys", "0006_round_organisation_from_unit"),
    ]

    operations = [
        # The table stays where it is; only Django's idea of which app owns it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="round",
                    name="organisation",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="survey_rounds",
                        to="organisations.organisation",
                        verbose_name="kommun",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
