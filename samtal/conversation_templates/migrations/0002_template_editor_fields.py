import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("conversation_templates", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="step",
            name="reviews_earlier_actions",
            field=models.BooleanField(
                default=False,
                help_text="Här visas de öppna åtgärderna från enhetens tidigare samtal.",
                verbose_name="går igenom tidigare åtgärder",
            ),
        ),
        migrations.AddField(
            model_name="templateversion",
            name="based_on",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="conversation_templates.templateversion",
                verbose_name="kopia av",
            ),
        ),
        migrations.AddField(
            model_name="templateversion",
            name="is_draft",
            field=models.BooleanField(
                default=False,
                help_text="Ett utkast syns inte i ”Nytt samtal” förrän det publiceras.",
                verbose_name="utkast",
            ),
        ),
        migrations.AddField(
            model_name="templateversion",
            name="outline",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Mötets upplägg i punkter (i ”Underlag för samtal”). En punkt per rad.",
                verbose_name="upplägg",
            ),
        ),
    ]
