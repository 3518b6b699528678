"""People per organisation (2 of 3): the data, see 0006."""

from django.db import migrations


def forward(apps, schema_editor):
    Person = apps.get_model("participants", "Person")
    Participation = apps.get_model("participants", "Participation")
    Organisation = apps.get_model("meetings", "Organisation")
    Membership = apps.get_model("meetings", "Membership")
    first_organisation = Organisation.objects.order_by("id").values_list("id", flat=True).first()
    for person in Person.objects.all():
        Participation.objects.filter(person=person, title="").update(title=person.title)
        organisations = list(
            Participation.objects.filter(person=person)
            .values_list("meeting__unit__organisation_id", flat=True)
            .distinct()
            .order_by("meeting__unit__organisation_id")
        )
        if not organisations and person.user_id:
            organisations = list(
                Membership.objects.filter(user_id=person.user_id)
                .values_list("organisation_id", flat=True)
                .order_by("organisation_id")[:1]
            )
        if not organisations:
            if first_organisation is None:
                person.delete()  # no organisation and no meetings: nothing refers to it
                continue
            organisations = [first_organisation]
        person.organisation_id = organisations[0]
        person.save(update_fields=["organisation"])
        for organisation_id in organisations[1:]:
            copy = Person.objects.create(
                organisation_id=organisation_id,
                name=person.name,
                email=person.email,
                title=person.title,
                user_id=person.user_id,
            )
            Participation.objects.filter(
                person=person, meeting__unit__organisation_id=organisation_id
            ).update(person=copy)


class Migration(migrations.Migration):
    dependencies = [("participants", "0008_person_per_organisation")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
