"""The organisation boundary on what came after the organisations: conversation templates,
kommunledning's people search, the follow-up board's exports, återrapporteringar and the
data-protection pages. A user of organisation B gets nothing of A's; installation staff's
data-protection work still covers the whole installation."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from samtal.a3.models import Entry
from samtal.actions.models import ReportBack
from samtal.conversation_templates import editing
from samtal.conversation_templates.models import ConversationTemplate, TemplateVersion
from samtal.meetings.forms import MeetingForm
from samtal.participants.models import Person
from samtal.privacy import erasure, register
from samtal.surveys.models import Invitation
from tests.archive_helpers import action, finished_meeting
from tests.evaluation_helpers import make_round
from tests.factories import (
    add_participant,
    default_version,
    make_organisation,
    make_reviewer,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db

EMAIL = "lars.oberg@kommun.example"


@pytest.fixture
def world():
    """Sundsvall (A) and Timrå (B), each with a finished meeting where Lars Öberg (one
    address, a person record in each organisation) took part and owns an action."""
    sundsvall = make_organisation()
    timra = make_organisation("Timrå kommun", "Timråbon")
    a = finished_meeting("Hemtjänst")
    b = finished_meeting("Biblioteken", unit=make_unit("Kulturnämnden", organisation=timra))
    lars_a = add_participant(a, "Lars Öberg", email=EMAIL)
    lars_b = add_participant(b, "Lars Öberg", email=EMAIL)
    action(a, "Korta väntetiderna i hemtjänsten", owners=[lars_a])
    action(b, "Längre öppettider på biblioteken", owners=[lars_b])
    step = a.template_version.steps.get(key="2A")
    Entry.objects.create(meeting=a, step=step, text="Lars Öberg visade köerna i Sundsvall")
    return sundsvall, timra, a, b, lars_a.person, lars_b.person


# Templates ---------------------------------------------------------------------------------


def own_template(organisation, name):
    template = ConversationTemplate.objects.create(organisation=organisation, name=name)
    with transaction.atomic():
        draft = editing.copy_to_draft(default_version(), template)
    return editing.publish(draft)


def test_an_organisation_sees_the_shared_templates_and_its_own_never_anothers(client, world):
    sundsvall, timra, *_ = world
    sundsvall_own = own_template(sundsvall, "Sundsvalls ägardialog")
    timra_admin = make_user("tove", organisation=timra, admin=True)
    client.force_login(timra_admin)
    page = client.get(reverse("conversation_templates:list")).text
    assert "Samtalsmall" in page and "Gemensam mall" in page
    assert "Sundsvalls ägardialog" not in page
    for name, args in [
        ("conversation_templates:export", [sundsvall_own.pk]),
        ("conversation_templates:blank_pdf", [sundsvall_own.pk]),
        ("conversation_templates:projector_preview", [sundsvall_own.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.post(reverse("conversation_templates:copy", args=[sundsvall_own.pk])).status_code
        == 404
    )


def test_copying_a_shared_template_makes_the_organisations_own(client, world):
    _sundsvall, timra, *_ = world
    shared = default_version()
    client.force_login(make_user("tove", organisation=timra, admin=True))
    response = client.post(reverse("conversation_templates:copy", args=[shared.pk]))
    draft = TemplateVersion.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert draft.template.organisation == timra and draft.template.name == shared.template.name
    assert shared.template.organisation is None and shared.template.versions.count() == 1
    assert client.get(response.url).status_code == 200
    # A kommunledning member of Timrå is no process owner: no editor.
    client.force_login(make_reviewer("rut", organisation=timra))
    assert client.get(reverse("conversation_templates:list")).status_code == 403


def test_new_meeting_offers_the_shared_and_the_own_templates_only(world):
    sundsvall, timra, *_ = world
    sundsvall_own = own_template(sundsvall, "Sundsvalls ägardialog")
    timra_own = own_template(timra, "Timrås workshop")
    offered = set(MeetingForm(organisation=timra).fields["template_version"].queryset)
    assert timra_own in offered and default_version() in offered
    assert sundsvall_own not in offered
    form = MeetingForm(
        {"unit": timra.units.get().pk, "template_version": sundsvall_own.pk, "theme": "X"},
        organisation=timra,
    )
    assert not form.is_valid() and "template_version" in form.errors


# Kommunledning's people search -------------------------------------------------------------


def test_kommunledning_finds_only_its_own_organisations_people(client, world):
    _sundsvall, timra, _a, _b, lars_a, lars_b = world
    client.force_login(make_reviewer("rut", organisation=timra))
    page = client.get(reverse("archive:list"), {"q": "Öberg"}).text
    assert reverse("archive:person", args=[lars_b.pk]) in page
    assert reverse("archive:person", args=[lars_a.pk]) not in page
    assert client.get(reverse("archive:person", args=[lars_a.pk])).status_code == 404
    own = client.get(reverse("archive:person", args=[lars_b.pk])).text
    assert "Längre öppettider" in own and "Korta väntetiderna" not in own


# The follow-up board's exports and återrapporteringar --------------------------------------


def test_the_board_exports_hold_only_the_organisations_actions(client, world):
    _sundsvall, timra, *_ = world
    client.force_login(make_reviewer("rut", organisation=timra))
    text = client.get(reverse("actions:export_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any("Längre öppettider på biblioteken" in row for row in rows)
    assert "Korta väntetiderna" not in text
    sheet = load_workbook(io.BytesIO(client.get(reverse("actions:export_xlsx")).content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert "Längre öppettider på biblioteken" in cells
    assert not any("Korta väntetiderna" in cell for cell in cells)


def test_another_organisations_kommunledning_gets_no_aterrapportering(client, world):
    _sundsvall, timra, a, *_ = world
    report_back = ReportBack.objects.create(unit=a.unit, title="Återrapportering hösten")
    client.force_login(make_reviewer("rut", organisation=timra))
    assert client.get(reverse("archive:report_backs", args=[a.unit.pk])).status_code == 403
    assert client.get(reverse("archive:report_back", args=[report_back.pk])).status_code == 403
    client.force_login(make_reviewer("eva"))  # Sundsvall's
    assert client.get(reverse("archive:report_back", args=[report_back.pk])).status_code == 200


# Data protection -----------------------------------------------------------------------------


def officer(organisation, username, **fields):
    user = make_user(username, organisation=organisation, planner=False, **fields)
    user.user_permissions.add(Permission.objects.get(codename="handle_personal_data"))
    return user


def test_an_organisations_officer_finds_and_extracts_only_its_own_data(client, world):
    _sundsvall, timra, _a, b, lars_a, lars_b = world
    client.force_login(officer(timra, "tilda"))
    found = client.get(reverse("privacy:search"), {"q": "Öberg"}).text
    assert reverse("privacy:person", args=[lars_b.pk]) in found
    assert reverse("privacy:person", args=[lars_a.pk]) not in found
    assert client.get(reverse("privacy:person", args=[lars_a.pk])).status_code == 404
    assert client.get(reverse("privacy:extract", args=[lars_a.pk, "json"])).status_code == 404
    data = client.get(reverse("privacy:extract", args=[lars_b.pk, "json"])).json()
    text = json.dumps(data, ensure_ascii=False)
    assert "Biblioteken" in text and "Längre öppettider" in text
    for of_sundsvall in ["Hemtjänst", "Korta väntetiderna", "köerna i Sundsvall"]:
        assert of_sundsvall not in text, of_sundsvall


def test_installation_staff_extract_covers_the_whole_installation(world):
    *_, lars_a, _lars_b = world
    text = json.dumps(register.as_json(register.build(lars_a)), ensure_ascii=False)
    # The other organisation's person record with the same address is found too.
    assert "Hemtjänst" in text and "Timrå kommun" in text
    scoped = json.dumps(
        register.as_json(register.build(lars_a, lars_a.organisation)), ensure_ascii=False
    )
    assert "Hemtjänst" in scoped and "köerna i Sundsvall" in scoped
    assert "Timrå kommun" not in scoped and "Längre öppettider" not in scoped


def test_an_organisations_erasure_leaves_the_other_organisations_data(world):
    sundsvall, timra, a, b, lars_a, lars_b = world
    invitation = Invitation.objects.create(round=make_round(unit=b.unit), email=EMAIL)
    account = make_user("lars", organisation=sundsvall, email=EMAIL)
    Person.objects.filter(pk__in=[lars_a.pk, lars_b.pk]).update(user=account)
    lars_b.refresh_from_db()
    erasure.forget(lars_b, organisation=timra)
    lars_a.refresh_from_db()
    account.refresh_from_db()
    assert lars_a.name == "Lars Öberg" and lars_a.email == EMAIL
    assert Entry.objects.filter(text__contains="Lars Öberg visade").exists()
    assert account.is_active  # still used in Sundsvall
    assert not Invitation.objects.filter(pk=invitation.pk).exists()  # Timrå's, with his address
