from django.db import migrations


def forwards(apps, schema_editor):
    from samtal.surveys import builtin

    builtin.create_all(
        apps.get_model("surveys", "Instrument"), apps.get_model("surveys", "Statement")
    )


def backwards(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    Instrument.objects.filter(
        key__in=["styrmodell", "forbattringsarbete"], version=1, rounds__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_instruments_rounds_responses")]

    operations = [migrations.RunPython(forwards, backwards)]
