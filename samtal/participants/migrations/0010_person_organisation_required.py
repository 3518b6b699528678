"""People per organisation (3 of 3): every person has an organisation; the title is the
participation's; one record per email and per account in an organisation. See 0006."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("participants", "0009_people_into_organisations")]

    operations = [
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
