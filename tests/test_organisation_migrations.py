"""The data migrations of issue 16 on data made before it: existing users become members with
their roles, and a person who took part in two organisations' meetings is split so neither
organisation sees the other's record; each participation keeps the title."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("meetings", "0006_memberships_and_active_units"),
    ("participants", "0007_client_keys"),
]
AFTER = [
    ("meetings", "0007_memberships_from_existing_users"),
    ("participants", "0010_person_organisation_required"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_users_and_people_move_into_organisations():
    from tests.factories import default_version

    default_version()  # an earlier transactional test may have flushed the migration's rows
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        Permission = old.get_model("auth", "Permission")
        Organisation = old.get_model("meetings", "Organisation")
        Unit = old.get_model("meetings", "Unit")
        Meeting = old.get_model("meetings", "Meeting")
        TemplateVersion = old.get_model("conversation_templates", "TemplateVersion")
        Person = old.get_model("participants", "Person")
        Participation = old.get_model("participants", "Participation")
        version = TemplateVersion.objects.first()
        sundsvall = Organisation.objects.create(name="Sundsvalls kommun")
        timra = Organisation.objects.create(name="Timrå kommun")
        karin = User.objects.create(username="karin")
        eva = User.objects.create(username="eva")
        eva.user_permissions.add(Permission.objects.get(codename="review_archive"))
        meetings = {}
        for organisation in (sundsvall, timra):
            unit = Unit.objects.create(organisation=organisation, name="Nämnden")
            meetings[organisation.name] = Meeting.objects.create(
                unit=unit,
                theme=f"Tema {organisation.name}",
                date=datetime.date(2026, 5, 4),
                start_time=datetime.time(9),
                template_version=version,
                created_by=karin,
            )
        anna = Person.objects.create(name="Anna Berg", email="anna@ex.se", title="Rektor")
        leader = Person.objects.create(name="Karin", email="karin@ex.se", user=karin)
        for meeting in meetings.values():
            Participation.objects.create(meeting=meeting, person=anna, role="deltagare")
            Participation.objects.create(meeting=meeting, person=leader, role="samtalsledare")
        Participation.objects.create(
            meeting=meetings["Sundsvalls kommun"],
            person=Person.objects.create(name="Eva", email="eva@ex.se", user=eva),
            role="observator",
        )

        new = migrate(AFTER)
        Membership = new.get_model("meetings", "Membership")
        Person = new.get_model("participants", "Person")
        Participation = new.get_model("participants", "Participation")
        karins = Membership.objects.filter(user_id=karin.pk)
        assert sorted(karins.values_list("organisation__name", flat=True)) == [
            "Sundsvalls kommun",
            "Timrå kommun",
        ]
        assert all(m.is_planner and not m.is_reviewer for m in karins)
        evas = Membership.objects.get(user_id=eva.pk)
        assert evas.organisation.name == "Sundsvalls kommun" and evas.is_reviewer
        annas = Person.objects.filter(email="anna@ex.se")
        assert sorted(annas.values_list("organisation__name", flat=True)) == [
            "Sundsvalls kommun",
            "Timrå kommun",
        ]
        for participation in Participation.objects.filter(person__email="anna@ex.se"):
            assert (
                participation.person.organisation_id == participation.meeting.unit.organisation_id
            )
            assert participation.title == "Rektor"
        assert Person.objects.filter(user_id=karin.pk).count() == 2
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
