"""The default template word for word as in seed 000 (issue 17).

A version no meeting uses is corrected in place; one that meetings use keeps its texts for
them and a new version with the seed's texts is published (see default_template.bring_to_seed).
Every version gets `reviews_earlier_actions` on its first Dåtid step: that is where the live
meeting showed the earlier open actions before the flag existed.
"""

from django.db import migrations

from samtal.conversation_templates import default_template


def forwards(apps, schema_editor):
    ConversationTemplate = apps.get_model("conversation_templates", "ConversationTemplate")
    TemplateVersion = apps.get_model("conversation_templates", "TemplateVersion")
    Step = apps.get_model("conversation_templates", "Step")
    for version in TemplateVersion.objects.all():
        first_past = version.steps.filter(phase="datid").order_by("order").first()
        if first_past is not None:
            first_past.reviews_earlier_actions = True
            first_past.save(update_fields=["reviews_earlier_actions"])
    default_template.bring_to_seed(ConversationTemplate, TemplateVersion, Step)


class Migration(migrations.Migration):
    dependencies = [
        ("conversation_templates", "0002_template_editor_fields"),
        ("a3", "0007_a3change_kind_choices"),
        ("meetings", "0003_alter_meeting_template_version"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
