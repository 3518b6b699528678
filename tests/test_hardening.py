"""Security headers, no-store, idle timeout, passwords, seed_demo's guard, formula-safe
exports and revoking a personal link."""

import csv
import io
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from samtal.a3 import live
from samtal.core.middleware import SESSION_LAST_ACTIVITY, SESSION_SHARED_DEVICE
from samtal.core.passwords import ContextPasswordValidator
from samtal.meetings.models import Meeting
from tests.archive_helpers import action, finished_meeting
from tests.evaluation_helpers import add_responses, make_round
from tests.factories import make_organisation, make_reviewer, make_user, staffed_meeting

pytestmark = pytest.mark.django_db


def live_meeting():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def link_of(meeting, name="Maria Ek"):
    participation = meeting.participations.get(person__name=name)
    return reverse("participants:preparation", args=[participation.personal_link_token()])


# Content-Security-Policy, Permissions-Policy, Cache-Control --------------------------------


def test_every_page_gets_a_strict_content_security_policy(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    policy = client.get(reverse("meetings:detail", args=[meeting.pk]))["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_participant_page_gets_csp_and_permissions_policy(client):
    meeting, *_ = staffed_meeting()
    response = client.get(link_of(meeting))
    assert response.status_code == 200
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("page", ["meetings:mine", "login"])
def test_pages_are_not_stored_by_browsers_or_proxies(client, page):
    client.force_login(make_user())
    response = client.get(reverse(page), follow=True)
    assert "no-store" in response["Cache-Control"]


def test_the_participant_page_and_the_pdf_are_not_stored(client):
    meeting, facilitator, _ = staffed_meeting()
    assert "no-store" in client.get(link_of(meeting))["Cache-Control"]
    client.force_login(facilitator)
    pdf = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and "no-store" in pdf["Cache-Control"]
    # No CSP on a PDF: Chromium would apply it to its PDF viewer and show nothing.
    assert "Content-Security-Policy" not in pdf


def test_exports_are_not_stored(client):
    client.force_login(make_reviewer())
    for name in ("actions:export_csv", "actions:export_xlsx"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"]


# Idle timeout ---------------------------------------------------------------------------------


def idle_for(client, seconds):
    session = client.session
    session[SESSION_LAST_ACTIVITY] = time.time() - seconds
    session.save()


def test_a_session_idle_longer_than_the_timeout_is_logged_out(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(make_user())
    idle_for(client, 601)
    response = client.get(reverse("meetings:mine"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "utan aktivitet" in response.text


def test_a_session_within_the_timeout_stays_and_is_refreshed(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(make_user())
    idle_for(client, 500)
    assert client.get(reverse("meetings:mine")).status_code == 200
    assert time.time() - client.session[SESSION_LAST_ACTIVITY] < 5


def test_background_requests_do_not_keep_a_session_alive(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(make_user())
    idle_for(client, 500)
    status = client.get(reverse("session_status"), headers={"X-Samtal-Background": "1"})
    assert 95 <= status.json()["remaining"] <= 100
    assert time.time() - client.session[SESSION_LAST_ACTIVITY] >= 500


def test_the_keep_alive_refreshes_the_session(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(make_user())
    idle_for(client, 500)
    response = client.post(reverse("session_keep_alive"), headers={"X-Samtal-Background": "1"})
    assert response.json()["remaining"] >= 595


def test_the_projector_makes_the_session_a_shared_device_with_a_shorter_timeout(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    settings.SESSION_IDLE_TIMEOUT_SHARED = 600
    meeting, facilitator, _ = live_meeting()
    client.force_login(facilitator)
    page = client.get(reverse("a3_live:projector", args=[meeting.pk]))
    assert 'data-idle-timeout="600"' in page.text
    assert client.session[SESSION_SHARED_DEVICE] is True
    idle_for(client, 601)
    response = client.get(reverse("meetings:mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_projectors_refresh_after_a_change_keeps_its_session_alive(client, settings):
    settings.SESSION_IDLE_TIMEOUT_SHARED = 600
    meeting, facilitator, _ = live_meeting()
    client.force_login(facilitator)
    url = reverse("a3_live:projector", args=[meeting.pk])
    client.get(url)
    idle_for(client, 500)
    assert client.get(url, headers={"X-Live-Fragment": "1"}).status_code == 200
    assert time.time() - client.session[SESSION_LAST_ACTIVITY] < 5


def test_a_note_takers_save_after_the_timeout_gets_401_not_the_login_page(client, settings):
    settings.SESSION_IDLE_TIMEOUT_SHARED = 600
    meeting, _, note_taker = live_meeting()
    client.force_login(note_taker)
    client.get(reverse("a3_live:notes", args=[meeting.pk]))
    idle_for(client, 601)
    step = meeting.template_version.steps.get(key="2B")
    response = client.post(
        reverse("a3_live:entry_add", args=[meeting.pk]),
        {"step": step.pk, "text": "Fler resultat"},
        headers={"X-Live-Fetch": "1"},
    )
    assert response.status_code == 401
    assert "Det du skrev finns kvar" in response.text
    assert not meeting.entries.filter(text="Fler resultat").exists()


def test_the_page_carries_the_timeout_warning_for_logged_in_users_only(client):
    assert "inaktiv-varning" not in client.get(reverse("login")).text
    client.force_login(make_user())
    page = client.get(reverse("meetings:mine")).text
    assert 'id="inaktiv-varning"' in page and "Fortsätt vara inloggad" in page


# Passwords ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Sommar2026!", "karin2026karin", "Samtal-2026!!", "Sundsvall2026#", "Lösenord123456"],
)
def test_guessable_passwords_are_refused(password):
    make_organisation("Sundsvalls kommun", "Sundsvallsbon")
    user = make_user("karin", first_name="Karin", last_name="Lindqvist")
    with pytest.raises(ValidationError):
        ContextPasswordValidator().validate(password, user)


def test_a_passphrase_is_accepted():
    ContextPasswordValidator().validate("kaffe trappa blå segelbåt", make_user("karin"))


def test_a_user_changes_the_password(client):
    user = make_user("karin", password="gammalt-lösenord-77")
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "Byt lösenord" in page.text
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "gammalt-lösenord-77",
            "new_password1": "kaffe trappa blå segelbåt",
            "new_password2": "kaffe trappa blå segelbåt",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("kaffe trappa blå segelbåt")


def test_a_guessable_new_password_is_refused_in_swedish_and_keeps_the_user_on_the_form(client):
    user = make_user("karin", password="gammalt-lösenord-77")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "gammalt-lösenord-77",
            "new_password1": "Sommar2026!",
            "new_password2": "Sommar2026!",
        },
    )
    assert response.status_code == 200
    assert "för lätt att gissa" in response.text or "för kort" in response.text
    user.refresh_from_db()
    assert user.check_password("gammalt-lösenord-77")


def test_a_forgotten_password_is_reset_by_email(client, settings):
    settings.SITE_URL = "https://samtal.kommun.example"
    user = make_user("karin", email="karin@kommun.example", password="gammalt-lösenord-77")
    response = client.post(reverse("password_reset"), {"email": "karin@kommun.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Samtal"
    link = next(line for line in message.body.splitlines() if line.startswith(settings.SITE_URL))
    path = link.removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)
    assert "Välj ett nytt lösenord" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "kaffe trappa blå segelbåt",
            "new_password2": "kaffe trappa blå segelbåt",
        },
        follow=True,
    )
    assert "Lösenordet är sparat" in done.text
    user.refresh_from_db()
    assert user.check_password("kaffe trappa blå segelbåt")


def test_no_reset_email_for_an_unknown_address_or_an_account_without_a_password(client):
    user = make_user("sso", email="sso@kommun.example")
    user.set_unusable_password()
    user.save()
    client.post(reverse("password_reset"), {"email": "sso@kommun.example"})
    client.post(reverse("password_reset"), {"email": "okand@kommun.example"})
    assert mail.outbox == []


def test_the_login_page_links_to_the_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).text


# seed_demo ------------------------------------------------------------------------------------


def test_seed_demo_refuses_a_database_with_other_data():
    make_user("riktig.anvandare")
    with pytest.raises(CommandError, match="annat än demodata"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_runs_with_force_on_a_database_with_other_data():
    # A real user of a real organisation (not the demo's Sundsvalls kommun).
    make_user("riktig.anvandare", organisation=make_organisation("Ånge kommun"))
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(username="admin").exists()


def test_seed_demo_runs_on_an_empty_database_and_twice():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demodata finns redan" in out.getvalue()


# Formula injection ----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil")', "+SUM(A1)", "-2+3", "@cmd", "\t=1"]


def test_the_action_csv_prefixes_every_formula_with_an_apostrophe(client):
    meeting = finished_meeting()
    for text in FORMULAS:
        action(meeting, text)
    client.force_login(make_reviewer())
    body = client.get(reverse("actions:export_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert sorted(row[3] for row in rows[1:]) == sorted("'" + text for text in FORMULAS)


def test_the_action_xlsx_has_text_cells_without_visible_escapes_and_real_dates(client):
    meeting = finished_meeting()
    for text in FORMULAS:
        action(meeting, text)
    action(meeting, "Vanlig text")
    client.force_login(make_reviewer())
    sheet = load_workbook(io.BytesIO(client.get(reverse("actions:export_xlsx")).content)).active
    cells = {row[3].value: row[3] for row in sheet.iter_rows(min_row=2)}
    for text in FORMULAS:
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert cells["Vanlig text"].quotePrefix is False
    assert sheet.cell(row=2, column=3).is_date


def test_the_survey_csv_escapes_formulas(client):
    round = make_round(name="=cmd|' /C calc'!A0")
    add_responses(round, 5, values={1: 5})
    client.force_login(make_reviewer())
    body = client.get(reverse("surveys:export", args=["forbattringsarbete"])).content.decode()
    assert "'=cmd|" in body
    assert "\n=cmd" not in body


# Revoking a personal link ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [Meeting.Status.PLANNED, Meeting.Status.RUNNING, Meeting.Status.FINISHED]
)
def test_the_facilitator_revokes_a_link_at_any_time(client, status):
    meeting, facilitator, _ = live_meeting() if status == "pagar" else staffed_meeting()
    if status == "avslutad":
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    link = link_of(meeting)
    assert client.get(link).status_code < 400
    client.force_login(facilitator)
    maria = meeting.participations.get(person__name="Maria Ek")
    response = client.post(
        reverse("meetings:revoke_link", args=[meeting.pk, maria.pk]), follow=True
    )
    assert "är återkallad" in response.text
    client.logout()
    assert client.get(link).status_code == 410


def test_only_the_facilitator_may_revoke_a_link(client):
    meeting, _, note_taker = staffed_meeting()
    client.force_login(note_taker)
    maria = meeting.participations.get(person__name="Maria Ek")
    response = client.post(reverse("meetings:revoke_link", args=[meeting.pk, maria.pk]))
    assert response.status_code == 403
    maria.refresh_from_db()
    assert maria.link_revoked_at is None


def test_a_used_or_made_up_reset_link_says_so_in_swedish(client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "fel-nyckel"]))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.text and "Be om en ny länk" in response.text
