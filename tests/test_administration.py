"""Administration in the app: an organisation administrator manages units, members and roles
and the organisation's settings, only of the organisation they work in."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from samtal.core.policy import is_reviewer
from samtal.meetings.models import Unit
from samtal.organisations.models import Membership
from tests.factories import make_organisation, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("anders", admin=True, planner=False))
    return client


def test_only_an_organisation_administrator_reaches_the_administration(client):
    client.force_login(make_user("karin"))  # a planner
    assert client.get(reverse("administration:index")).status_code == 403
    assert "Administration" not in client.get(reverse("meetings:mine")).content.decode()
    client.force_login(make_user("anders", admin=True))
    assert client.get(reverse("administration:index")).status_code == 200
    assert 'href="/administration/"' in client.get(reverse("meetings:mine")).content.decode()


def test_an_administrator_adds_a_unit_and_deactivates_it_instead_of_deleting(admin_client):
    response = admin_client.post(
        reverse("administration:units"),
        {"name": "  Kultur-  och fritidsnämnden ", "kind": "namnd", "is_active": "on"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Kultur- och fritidsnämnden")
    assert unit.organisation == make_organisation() and unit.is_active
    twice = admin_client.post(
        reverse("administration:units"), {"name": "kultur- och fritidsnämnden", "kind": "bolag"}
    )
    assert twice.status_code == 422
    assert "Det finns redan en enhet med det namnet." in twice.content.decode()
    assert 'value="kultur- och fritidsnämnden"' in twice.content.decode()  # kept
    admin_client.post(
        reverse("administration:unit_edit", args=[unit.pk]),
        {"name": unit.name, "kind": "namnd"},  # the box unticked
    )
    unit.refresh_from_db()
    assert not unit.is_active
    admin_client.force_login(make_user("karin"))
    form = admin_client.get(reverse("meetings:create")).content.decode()
    assert ">Kultur- och fritidsnämnden</option>" not in form


def test_another_organisations_unit_is_not_found(admin_client):
    theirs = make_unit("Timrås nämnd", organisation=make_organisation("Timrå kommun"))
    assert (
        admin_client.get(reverse("administration:unit_edit", args=[theirs.pk])).status_code == 404
    )
    assert "Timrås nämnd" not in admin_client.get(reverse("administration:units")).content.decode()


def test_an_administrator_makes_a_colleague_kommunledning(admin_client):
    eva = make_user("eva", first_name="Eva", last_name="Nordin", planner=False)
    member = eva.memberships.get()
    page = admin_client.get(reverse("administration:members")).content.decode()
    assert "Eva Nordin" in page
    response = admin_client.post(
        reverse("administration:member_roles", args=[member.pk]), {"is_reviewer": "on"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_reviewer and not member.is_planner
    assert is_reviewer(User.objects.get(pk=eva.pk), member.organisation)


def test_an_administrator_cannot_remove_their_own_administrator_role(client):
    anders = make_user("anders", admin=True)
    client.force_login(anders)
    member = anders.memberships.get()
    response = client.post(
        reverse("administration:member_roles", args=[member.pk]), {"is_planner": "on"}
    )
    assert response.status_code == 422
    assert "Du kan inte ta bort din egen administratörsroll" in response.content.decode()
    member.refresh_from_db()
    assert member.is_admin


def test_an_administrator_adds_a_new_colleague_with_roles(admin_client):
    response = admin_client.post(
        reverse("administration:members"),
        {
            "ny-name": "Lena Berg",
            "ny-email": "lena.berg@kommun.se",
            "ny-is_planner": "on",
            "ny-password": "ett-långt-lösenord",
        },
    )
    assert response.status_code == 302
    lena = User.objects.get(email="lena.berg@kommun.se")
    assert (lena.first_name, lena.last_name) == ("Lena", "Berg")
    assert lena.check_password("ett-långt-lösenord")
    assert Membership.objects.get(user=lena).is_planner
    again = admin_client.post(
        reverse("administration:members"), {"ny-name": "Lena", "ny-email": "LENA.berg@kommun.se"}
    )
    assert again.status_code == 422
    assert "redan med i organisationen" in again.content.decode()


def test_an_existing_account_joins_a_second_organisation(client):
    lena = make_user(
        "lena", email="lena@konsult.se", organisation=make_organisation("Timrå kommun")
    )
    client.force_login(make_user("anders", admin=True))
    client.post(
        reverse("administration:members"),
        {"ny-name": "Lena", "ny-email": "lena@konsult.se", "ny-is_planner": "on"},
    )
    assert set(lena.memberships.values_list("organisation__name", flat=True)) == {
        "Timrå kommun",
        "Sundsvalls kommun",
    }
    assert User.objects.filter(email="lena@konsult.se").count() == 1


def test_removing_a_member_keeps_the_account_and_refuses_oneself(client):
    anders = make_user("anders", admin=True)
    eva = make_user("eva")
    client.force_login(anders)
    client.post(reverse("administration:member_remove", args=[eva.memberships.get().pk]))
    assert not eva.memberships.exists() and User.objects.filter(pk=eva.pk).exists()
    client.post(reverse("administration:member_remove", args=[anders.memberships.get().pk]))
    assert anders.memberships.exists()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#1d4f73").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_settings_name_resident_term_logo_and_unit_permission(admin_client):
    response = admin_client.post(
        reverse("administration:settings"),
        {
            "name": "Sundsvalls kommun",
            "resident_term": "Sundsvallsbon",
            "planners_may_add_units": "on",
            "logo": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    organisation = make_organisation()
    organisation.refresh_from_db()
    assert organisation.planners_may_add_units and organisation.logo.name.endswith(".png")
    bad = admin_client.post(
        reverse("administration:settings"),
        {
            "name": "",
            "resident_term": "Malmöbon",
            "logo": SimpleUploadedFile("x.png", b"inte en bild"),
        },
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Skriv organisationens namn." in text and 'value="Malmöbon"' in text
    assert "Logotypen måste vara en PNG-, JPEG- eller SVG-bild." in text


def test_the_logo_is_printed_on_the_a3_pdf(admin_client):
    from pypdf import PdfReader

    from samtal.a3.pdf import logo_data_uri, render_pdf
    from tests.factories import make_meeting

    organisation = make_organisation()
    assert logo_data_uri(organisation) == ""
    admin_client.post(
        reverse("administration:settings"),
        {
            "name": organisation.name,
            "resident_term": "Sundsvallsbon",
            "logo": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
        },
    )
    organisation.refresh_from_db()
    assert logo_data_uri(organisation).startswith("data:image/png;base64,")
    pdf = PdfReader(io.BytesIO(render_pdf(make_meeting())))
    assert len(pdf.pages[-1].images) == 1  # the logo in the A3's header
