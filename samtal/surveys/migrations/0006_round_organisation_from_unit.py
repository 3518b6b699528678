"""A round belongs to its unit's organisation, or (for a whole-municipality round) to the
installation's organisation when there is only one."""

from django.db import migrations


def forward(apps, schema_editor):
    Round = apps.get_model("surveys", "Round")
    Organisation = apps.get_model("meetings", "Organisation")
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    for round_ in Round.objects.filter(organisation__isnull=True):
        if round_.unit_id:
            round_.organisation_id = round_.unit.organisation_id
        elif len(organisations) == 1:
            round_.organisation_id = organisations[0]
        else:
            continue
        round_.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_round_organisation")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
