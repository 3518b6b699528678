from django.db import migrations

from samtal.conversation_templates import default_template


def create_default_template(apps, schema_editor):
    default_template.create(
        apps.get_model("a3", "ConversationTemplate"),
        apps.get_model("a3", "TemplateVersion"),
        apps.get_model("a3", "Step"),
    )


class Migration(migrations.Migration):
    dependencies = [("a3", "0002_initial")]

    operations = [migrations.RunPython(create_default_template, migrations.RunPython.noop)]
