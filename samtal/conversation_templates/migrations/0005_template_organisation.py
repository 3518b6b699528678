# ruff: noqa: E501
"""Templates belong to an organisation, or (none) to the installation, shared by all. The
templates there were until now (the seeded ones, and any made in the editor) become shared."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conversation_templates", "0004_seed_templates"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversationtemplate",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="Tom: installationens gemensamma mall, som alla organisationer kan använda.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="templates",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="conversationtemplate",
            name="name",
            field=models.CharField(max_length=200, verbose_name="namn"),
        ),
        migrations.AddConstraint(
            model_name="conversationtemplate",
            constraint=models.UniqueConstraint(
                fields=("organisation", "name"), name="template_unique_name_per_organisation"
            ),
        ),
        migrations.AddConstraint(
            model_name="conversationtemplate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation__isnull", True)),
                fields=("name",),
                name="template_unique_shared_name",
            ),
        ),
    ]
