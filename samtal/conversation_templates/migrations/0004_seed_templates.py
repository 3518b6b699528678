"""Templates for the seeds' other meeting kinds (issue 17): Göteborg's ägardialog (seed 003),
Reglab's learning workshop (seed 004) and the FK/AF kontaktmöte (seed 002)."""

from django.db import migrations

from samtal.conversation_templates import seed_templates


def forwards(apps, schema_editor):
    models = [
        apps.get_model("conversation_templates", name)
        for name in ("ConversationTemplate", "TemplateVersion", "Step")
    ]
    for data in seed_templates.SEED_TEMPLATES:
        seed_templates.create(*models, data)


class Migration(migrations.Migration):
    dependencies = [("conversation_templates", "0003_default_template_as_seed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
