import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from samtal.surveys import results as survey_results
from samtal.surveys.models import Answer, Instrument, Response, Statement
from tests.evaluation_helpers import add_responses, builtin, make_round
from tests.factories import make_organisation, make_reviewer, make_unit, make_user

pytestmark = pytest.mark.django_db


# The built-in instruments -----------------------------------------------------------------


def test_the_governance_instrument_has_the_ten_statements_of_bilaga_1():
    instrument = builtin("styrmodell")
    texts = list(instrument.statements.values_list("text", flat=True))
    assert len(texts) == 10
    assert texts[0] == "… är enkel"
    assert texts[6] == "… tydliggör mitt/vårt bidrag till kommunens resultat"
    assert texts[9] == "… visar sambandet mellan genomförda aktiviteter och medborgarnytta"
    assert instrument.prompt == "Sundsvalls kommuns styrmodell …"


def test_the_improvement_instrument_has_19_statements_in_eight_groups_in_correct_swedish():
    instrument = builtin("forbattringsarbete")
    statements = list(instrument.statements.all())
    assert len(statements) == 19
    groups = list(dict.fromkeys(s.group for s in statements))
    assert groups == [
        "Tid och energi",
        "Lärande förhållningssätt",
        "Utvecklingsinriktat arbetssätt",
        "Bra bas-strukturer",
        "Intern förankring",
        "Brukarfokus",
        "Kommunikation – mål",
        "Genomförande",
    ]
    assert statements[10].text == "Den politiska nivån stöder vårt förbättringsarbete."
    assert statements[17].text == "Vi reviderar löpande vårt förbättringsarbete."
    assert instrument.scale_max_label == "Instämmer helt"
    assert instrument.scale_min_label == "Instämmer inte alls"


def test_the_built_in_statements_carry_no_ocr_noise():
    for instrument in (builtin("styrmodell"), builtin("forbattringsarbete")):
        for text in instrument.statements.values_list("text", flat=True):
            for noise in ("forbattr", " pa ", "vart forb", "tillrack", "dr ", "Vihar", "  "):
                assert noise not in text, (noise, text)


# Versioning -------------------------------------------------------------------------------


def test_a_statement_without_answers_can_be_edited():
    statement = builtin().statements.first()
    statement.text = "Ny formulering."
    statement.save()
    statement.refresh_from_db()
    assert statement.text == "Ny formulering."


def test_an_answered_statement_cannot_be_edited():
    round = make_round()
    add_responses(round, 1)
    statement = round.instrument.statements.first()
    statement.text = "Ny formulering."
    with pytest.raises(ValidationError, match="Skapa en ny version"):
        statement.save()
    assert Statement.objects.get(pk=statement.pk).text != "Ny formulering."


def test_an_answered_instrument_gets_no_new_statements():
    round = make_round()
    add_responses(round, 1)
    with pytest.raises(ValidationError):
        Statement.objects.create(instrument=round.instrument, number=99, text="Extra")


def test_an_answered_statement_cannot_be_deleted():
    round = make_round()
    add_responses(round, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(instrument=round.instrument).delete()


def test_a_new_version_copies_the_statements_and_can_be_edited_while_answers_keep_theirs():
    round = make_round()
    add_responses(round, 1)
    old = round.instrument
    new = old.new_version()
    assert new.version == 2 and new.key == old.key
    assert new.statements.count() == 19
    changed = new.statements.get(number=1)
    changed.text = "Ledningen lägger tid på strategiska frågor."
    changed.save()
    answer = Answer.objects.filter(statement__number=1).get()
    assert answer.statement.instrument == old
    assert answer.statement.text.startswith("Ledningsfunktionen lägger")


def test_a_value_outside_1_to_7_is_refused_by_the_database():
    round = make_round()
    response = Response.objects.create(round=round, function="ledning")
    statement = round.instrument.statements.first()
    for value in (0, 8):
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(response=response, statement=statement, value=value)


# Answering ----------------------------------------------------------------------------------


def survey_data(round, value="5", function="ledning", **extra):
    data = {"function": function, **extra}
    for statement in round.instrument.statements.all():
        data[f"p{statement.pk}"] = value
    return data


def post_answer(client, round, data, **kwargs):
    """Send the shared-link survey as a browser does: show the form (which hands out the
    one-time key), then send it with that key."""
    url = reverse("surveys:answer", args=[round.token])
    client.get(url)
    nonce = client.session.get("surveys.nonces", {}).get(str(round.pk), "")
    return client.post(url, {**data, "nonce": nonce}, **kwargs)


def test_the_survey_page_shows_the_statements_in_their_groups(client):
    round = make_round()
    response = client.get(reverse("surveys:answer", args=[round.token]))
    assert response.status_code == 200
    assert "Upplever du i din roll att:" in response.text
    assert "Lärande förhållningssätt" in response.text
    assert "7 = Instämmer helt" in response.text


def test_an_anonymous_respondent_answers_a_round(client):
    unit = make_unit()
    round = make_round(unit=unit)
    response = post_answer(client, round, survey_data(round), follow=True)
    assert "Tack för dina svar" in response.text
    saved = Response.objects.get()
    assert saved.function == "ledning" and saved.unit == unit
    assert saved.answers.count() == 19
    assert set(saved.answers.values_list("value", flat=True)) == {5}


def test_a_missing_answer_is_asked_for_and_the_rest_is_kept(client):
    round = make_round()
    data = survey_data(round)
    first = round.instrument.statements.first()
    del data[f"p{first.pk}"]
    response = post_answer(client, round, data)
    assert response.status_code == 400
    assert "Välj ett värde från 1 till 7." in response.text
    assert response.text.count("checked") == 18
    assert not Response.objects.exists()


def test_a_value_outside_1_to_7_gets_a_clear_message(client):
    round = make_round()
    data = survey_data(round)
    data[f"p{round.instrument.statements.first().pk}"] = "9"
    response = post_answer(client, round, data)
    assert response.status_code == 400
    assert "Svaret måste vara ett värde från 1 till 7." in response.text
    assert not Response.objects.exists()


def test_a_second_answer_from_the_same_browser_is_refused(client):
    round = make_round()
    post_answer(client, round, survey_data(round))
    response = post_answer(client, round, survey_data(round, value="1"))
    assert response.status_code == 409
    assert "Du har redan svarat" in response.text
    assert Response.objects.count() == 1


def test_two_fast_sends_of_the_shared_link_form_make_one_response(client):
    # Both requests of a double click carry the session as it was before either finished:
    # the second one is sent with the session restored to that state.
    round = make_round()
    url = reverse("surveys:answer", args=[round.token])
    client.get(url)
    before = dict(client.session)
    data = {**survey_data(round), "nonce": before["surveys.nonces"][str(round.pk)]}
    assert client.post(url, data).status_code == 302
    session = client.session
    session.clear()
    session.update(before)
    session.save()
    response = client.post(url, data)
    assert response.status_code == 409
    assert Response.objects.count() == 1


def test_a_form_without_its_one_time_key_is_not_saved_and_keeps_the_answers(client):
    round = make_round()
    url = reverse("surveys:answer", args=[round.token])
    client.get(url)
    response = client.post(url, {**survey_data(round), "nonce": "gammal"})
    assert response.status_code == 400
    assert "skicka dem igen" in response.text
    assert response.text.count("checked") == 19
    assert not Response.objects.exists()


def test_the_survey_form_is_sent_once(client):
    round = make_round()
    response = client.get(reverse("surveys:answer", args=[round.token]))
    assert "data-once" in response.text and "js/evaluations.js" in response.text


def test_a_closed_round_takes_no_answers(client):
    today = timezone.localdate()
    round = make_round(days_ago=30, closes_on=today - datetime.timedelta(days=1))
    response = post_answer(client, round, survey_data(round))
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_an_unknown_survey_link_is_404(client):
    assert client.get(reverse("surveys:answer", args=["okand"])).status_code == 404


def test_the_survey_link_answers_405_to_other_methods(client):
    round = make_round()
    assert client.delete(reverse("surveys:answer", args=[round.token])).status_code == 405


# Results -------------------------------------------------------------------------------------


def two_rounds(before=5, after=6):
    unit = make_unit()
    first = make_round(name="Före", unit=unit, days_ago=100)
    second = make_round(name="Efter", unit=unit, days_ago=10)
    add_responses(first, before, values={1: 3, 2: 5})
    add_responses(second, after, values={1: 5, 2: 4}, function="stod")
    return unit, first, second


def test_results_give_the_average_per_statement_per_round_and_the_change():
    two_rounds()
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    row = data.statements[0]
    assert [c["avg"] for c in row["cells"]] == [3.0, 5.0]
    assert row["changes"][0]["diff"] == 2.0
    assert [rr.count for rr in data.rounds] == [5, 6]


def test_results_mark_the_highest_and_lowest():
    two_rounds()
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    first_round = [row["cells"][0] for row in data.statements]
    assert first_round[1]["highest"] and first_round[0]["lowest"]


def test_a_round_with_fewer_than_5_responses_is_not_shown():
    two_rounds(before=4)
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    assert data.statements[0]["cells"][0]["avg"] is None
    assert data.statements[0]["changes"] == []
    assert [rr.round.name for rr in data.shown_rounds] == ["Efter"]


def test_results_are_split_by_function_when_every_function_has_5():
    unit, first, second = two_rounds()
    add_responses(first, 5, function="stod", value=6)
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    assert [f for f, _label in data.functions] == ["ledning", "stod"]
    cells = {
        (c["round"].round.name, c["function"]): c["avg"] for c in data.statements[0]["by_function"]
    }
    assert cells[("Före", "ledning")] == 3.0
    assert cells[("Före", "stod")] == 6.0
    assert cells[("Efter", "stod")] == 5.0


def test_one_small_function_hides_the_whole_function_split_of_its_round():
    # Efter: 6 stöd and 2 ledning. Showing stöd next to the round total would give away
    # the two (total minus stöd), so no function of the round is shown.
    unit, first, second = two_rounds()
    add_responses(second, 2, function="ledning", value=7)
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    cells = {
        (c["round"].round.name, c["function"]): c["avg"] for c in data.statements[0]["by_function"]
    }
    assert cells.get(("Efter", "stod")) is None
    assert cells.get(("Efter", "ledning")) is None
    assert cells[("Före", "ledning")] == 3.0
    efter = data.rounds[1]
    assert efter.shown and not efter.functions_shown and efter.by_function == {}


def test_the_results_page_never_shows_a_count_under_5(client):
    unit, first, second = two_rounds()
    add_responses(second, 1, function="ledning", value=7)
    client.force_login(make_reviewer())
    response = client.get(reverse("surveys:results", args=["forbattringsarbete"]))
    text = response.text
    assert "Ledning: 1" not in text and "Stöd: 6" not in text
    assert "Visas inte: någon funktion har färre än 5 svar." in text
    assert "annars skulle den lilla gruppen gå att räkna fram" in text


def test_a_round_with_1_to_4_responses_shows_fewer_than_5_instead_of_its_count(client):
    two_rounds(before=3)
    client.force_login(make_reviewer())
    response = client.get(reverse("surveys:results", args=["forbattringsarbete"]))
    assert '<td class="num">färre än 5</td>' in response.text
    assert '<td class="num">3</td>' not in response.text


def test_a_small_unit_hides_every_units_figures_for_that_round():
    # A round for the whole municipality: 6 from one unit, 3 from another. The total (9) is
    # shown; showing the big unit's 6 would give away the small unit's 3.
    big, small_unit = make_unit(), make_unit("Kultur- och fritidsnämnden")
    round = make_round(name="Före")
    add_responses(round, 6, unit=big, value=3)
    add_responses(round, 3, unit=small_unit, value=7)
    assert (
        survey_results.compute("forbattringsarbete", organisation=make_organisation())
        .rounds[0]
        .shown
    )
    for unit in (big, small_unit):
        data = survey_results.compute("forbattringsarbete", unit)
        assert not data.rounds[0].shown
        assert data.statements[0]["cells"][0]["avg"] is None
    assert survey_results.compute("forbattringsarbete", big).rounds[0].hidden_reason == "units"


def test_the_unit_filter_hides_a_units_function_split_when_any_unit_function_group_is_small():
    # Both units have 5 or more, but one unit's stöd has 3: with every unit's split shown,
    # the all-units stöd count minus the other units' would give the 3 away.
    a, b = make_unit(), make_unit("Kultur- och fritidsnämnden")
    round = make_round(name="Före")
    add_responses(round, 5, unit=a, function="ledning")
    add_responses(round, 5, unit=a, function="stod")
    add_responses(round, 5, unit=b, function="ledning")
    add_responses(round, 3, unit=b, function="stod")
    data = survey_results.compute("forbattringsarbete", a)
    assert data.rounds[0].shown and not data.rounds[0].functions_shown


def test_the_unit_overview_shows_no_count_under_5(client):
    unit, first, second = two_rounds(before=2)
    client.force_login(make_reviewer())
    response = client.get(reverse("evaluations:unit", args=[unit.pk]))
    assert '<td class="num">färre än 5</td>' in response.text


def test_results_show_each_rounds_own_wording_where_it_changed(client):
    unit, first, second = two_rounds()
    new = first.instrument.new_version()
    statement = new.statements.get(number=1)
    old_text = statement.text
    statement.text = "Ny formulering av det första påståendet"
    statement.save()
    third = make_round(instrument=new, name="Uppföljning", unit=unit, days_ago=1)
    add_responses(third, 5)
    client.force_login(make_reviewer())
    response = client.get(reverse("surveys:results", args=["forbattringsarbete"]))
    text = response.text
    assert "Formuleringen ändrades mellan omgångarna:" in text
    assert f"Före, Efter: ”{old_text}”" in text
    assert "Uppföljning: ”Ny formulering av det första påståendet”" in text
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    assert data.statements[1]["wordings"] == []
    csv = client.get(reverse("surveys:export", args=["forbattringsarbete"])).content.decode()
    assert f"Före;Alla;Alla;1;Tid och energi;{old_text};" in csv
    assert "Uppföljning;Alla;Alla;1;Tid och energi;Ny formulering av det första påståendet;" in csv


def test_the_scrollable_result_tables_can_be_reached_with_the_keyboard(client):
    two_rounds()
    client.force_login(make_reviewer())
    text = client.get(reverse("surveys:results", args=["forbattringsarbete"])).text
    assert text.count('class="table-scroll" tabindex="0" role="region" aria-label="') == 3


def test_a_missing_answer_is_linked_to_its_message(client):
    round = make_round()
    data = survey_data(round)
    first = round.instrument.statements.first()
    del data[f"p{first.pk}"]
    text = post_answer(client, round, data).text
    error_id = f"id_p{first.pk}_error"
    assert f'aria-describedby="{error_id}" aria-invalid="true"' in text
    assert f'id="{error_id}"' in text


def test_the_results_page_shows_tables_chart_and_a_note_on_hidden_groups(
    client, django_assert_max_num_queries
):
    two_rounds(before=5, after=4)
    client.force_login(make_reviewer())
    url = reverse("surveys:results", args=["forbattringsarbete"])
    # 11: the user's memberships (one query) beside the header's permission lookup.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    text = response.text
    assert "<svg" in text and "<desc" in text
    assert "Visas inte: färre än 5 svar." in text
    assert "3,00" in text
    assert "(lägst)" in text and "(högst)" in text


def test_the_results_page_query_count_does_not_grow_with_responses(
    client, django_assert_max_num_queries
):
    unit, first, second = two_rounds(before=30, after=30)
    make_round(name="Uppföljning", unit=unit, days_ago=1)
    client.force_login(make_reviewer())
    with django_assert_max_num_queries(11):
        response = client.get(reverse("surveys:results", args=["forbattringsarbete"]))
    assert response.status_code == 200


def test_results_can_be_filtered_by_unit(client):
    unit, *_ = two_rounds()
    other = make_unit("Kultur- och fritidsnämnden")
    client.force_login(make_reviewer())
    url = reverse("surveys:results", args=["forbattringsarbete"])
    response = client.get(url, {"enhet": other.pk})
    assert "Ingen omgång har 5 eller fler svar" in response.text
    response = client.get(url, {"enhet": unit.pk})
    assert "3,00" in response.text
    assert client.get(url, {"enhet": "x"}).status_code == 404


def test_only_kommunledning_reads_survey_results(client):
    two_rounds()
    client.force_login(make_user("karin"))
    assert client.get(reverse("surveys:results", args=["forbattringsarbete"])).status_code == 403
    assert client.get(reverse("surveys:export", args=["forbattringsarbete"])).status_code == 403


def test_an_unknown_instrument_is_404(client):
    client.force_login(make_reviewer())
    assert client.get(reverse("surveys:results", args=["finns-inte"])).status_code == 404


def test_results_need_get(client):
    client.force_login(make_reviewer())
    url = reverse("surveys:results", args=["forbattringsarbete"])
    assert client.post(url).status_code == 405


def test_the_csv_export_is_utf8_with_bom_semicolons_and_decimal_commas(client):
    two_rounds()
    client.force_login(make_reviewer())
    response = client.get(reverse("surveys:export", args=["forbattringsarbete"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == "Omgång;Enhet;Funktion;Nr;Grupp;Påstående;Antal svar;Genomsnitt"
    assert (
        "Före;Alla;Alla;1;Tid och energi;Ledningsfunktionen lägger tillräckligt med tid på "
        "strategiska frågor.;5;3,00" in lines
    )


def test_the_csv_leaves_out_hidden_groups(client):
    two_rounds(before=3)
    client.force_login(make_reviewer())
    body = client.get(reverse("surveys:export", args=["forbattringsarbete"])).content.decode()
    assert "\nFöre;" not in body


def test_instrument_admin_offers_a_new_version_for_answered_instruments(admin_client):
    round = make_round()
    add_responses(round, 1)
    url = reverse("admin:surveys_instrument_change", args=[round.instrument.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Enkäten har svar" in response.text
    admin_client.post(
        reverse("admin:surveys_instrument_changelist"),
        {"action": "make_new_version", "_selected_action": [round.instrument.pk]},
    )
    assert Instrument.objects.filter(key=round.instrument.key, version=2).exists()


# Personal links -----------------------------------------------------------------------------


def test_personal_links_are_emailed_once_per_address():
    from django.core import mail

    from samtal.surveys.services import invite

    round = make_round()
    sent = invite(round, ["Anna@Kommun.example", "anna@kommun.example", "bo@kommun.example"])
    assert len(sent) == 2 and len(mail.outbox) == 2
    assert sent[0].link() in mail.outbox[0].body
    assert invite(round, ["anna@kommun.example"]) == []


def test_a_personal_link_takes_one_answer_even_from_another_browser(client):
    from django.test import Client

    from samtal.surveys.models import Invitation

    round = make_round()
    invitation = Invitation.objects.create(round=round, email="anna@kommun.example")
    url = reverse("surveys:answer_invited", args=[invitation.token])
    assert "Tack för dina svar" in client.post(url, survey_data(round)).text
    response = Client().post(url, survey_data(round, value="1"))
    assert response.status_code == 409
    assert "Du har redan svarat" in response.text
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.answered


def test_an_unknown_personal_survey_link_is_404(client):
    assert client.get(reverse("surveys:answer_invited", args=["okand"])).status_code == 404


def test_the_round_admin_sends_personal_links(admin_client):
    from django.core import mail

    instrument = builtin()
    response = admin_client.post(
        reverse("admin:surveys_round_add"),
        {
            "instrument": instrument.pk,
            "name": "Efter",
            "opens_on": timezone.localdate().isoformat(),
            "invite_emails": "anna@kommun.example\nbo@kommun.example",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert len(mail.outbox) == 2


def test_the_round_admin_refuses_a_wrong_address_and_keeps_the_list(admin_client):
    instrument = builtin()
    response = admin_client.post(
        reverse("admin:surveys_round_add"),
        {
            "instrument": instrument.pk,
            "name": "Efter",
            "opens_on": timezone.localdate().isoformat(),
            "invite_emails": "anna@kommun.example\ninte-en-adress",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "inte-en-adress" in response.text and "inte giltiga" in response.text


# Rounds for kommunledning ---------------------------------------------------------------------


def test_kommunledning_creates_a_round_and_sees_its_link(client):
    instrument = builtin()
    unit = make_unit()
    client.force_login(make_reviewer())
    response = client.post(
        reverse("surveys:rounds"),
        {
            "instrument": instrument.pk,
            "name": "Uppföljning",
            "unit": unit.pk,
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-20",
        },
        follow=True,
    )
    from samtal.surveys.models import Round

    round = Round.objects.get(name="Uppföljning")
    assert round.unit == unit and round.instrument == instrument
    assert "Omgången ”Uppföljning” är skapad" in response.text
    assert reverse("surveys:answer", args=[round.token]) in response.text


def test_a_round_that_closes_before_it_opens_is_refused_and_kept(client):
    instrument = builtin()
    client.force_login(make_reviewer())
    response = client.post(
        reverse("surveys:rounds"),
        {
            "instrument": instrument.pk,
            "name": "Efter",
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert response.text.count("Omgången kan inte stänga innan den öppnar.") == 1
    assert 'value="Efter"' in response.text


def test_only_the_newest_instrument_version_can_get_new_rounds(client):
    old = builtin()
    new = old.new_version()
    client.force_login(make_reviewer())
    response = client.get(reverse("surveys:rounds"))
    assert f'value="{new.pk}"' in response.text
    assert f'value="{old.pk}"' not in response.text


def test_only_kommunledning_manages_rounds(client):
    client.force_login(make_user("karin"))
    assert client.get(reverse("surveys:rounds")).status_code == 403


def test_the_rounds_page_has_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    unit = make_unit()
    for name in ["Före", "Efter", "Uppföljning"]:
        add_responses(make_round(name=name, unit=unit), 2)
    client.force_login(make_reviewer())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("surveys:rounds"))
    assert response.status_code == 200
    assert response.text.count("/enkat/") == 3


def test_an_answered_instruments_prompt_and_scale_cannot_be_changed():
    round = make_round()
    add_responses(round, 1)
    instrument = round.instrument
    instrument.scale_max_label = "Håller helt med"
    with pytest.raises(ValidationError, match="Skapa en ny version"):
        instrument.save()


def test_an_answered_instruments_description_can_still_be_clarified():
    round = make_round()
    add_responses(round, 1)
    instrument = round.instrument
    instrument.description = "Förtydligad beskrivning."
    instrument.save()
    instrument.refresh_from_db()
    assert instrument.description == "Förtydligad beskrivning."


# UX review fixes ----------------------------------------------------------------------------


def test_the_change_is_only_computed_between_rounds_of_the_same_unit_scope():
    unit, first, second = two_rounds()
    whole = make_round(name="Före", days_ago=5)
    add_responses(whole, 5, values={1: 7, 2: 7}, unit=unit)
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    pairs = [(b.round.pk, a.round.pk) for b, a in data.change_pairs]
    assert pairs == [(first.pk, second.pk)]
    assert [c["diff"] for c in data.statements[0]["changes"]] == [2.0]


def test_rounds_with_the_same_name_are_labelled_with_unit_and_date(client):
    unit, first, second = two_rounds()
    whole = make_round(name="Före", days_ago=5)
    add_responses(whole, 5, unit=unit)
    client.force_login(make_reviewer())
    text = client.get(reverse("surveys:results", args=["forbattringsarbete"])).text
    assert f"Före – {unit.name}," in text
    assert "Före – hela kommunen," in text
    assert "Före − Efter" not in text


def test_an_open_ended_round_shows_from_its_opening_date(client):
    round = make_round(name="Löpande", days_ago=0)
    client.force_login(make_reviewer())
    text = client.get(reverse("surveys:rounds")).text
    assert "från " + f"{round.opens_on.day} " in text


def test_the_rounds_page_offers_a_copy_button_for_each_link(client):
    round = make_round()
    client.force_login(make_reviewer())
    text = client.get(reverse("surveys:rounds")).text
    assert f'data-copy="lank-{round.pk}"' in text and "Kopiera länk" in text
    assert 'aria-live="polite"' in text


def test_an_instrument_without_rounds_says_so_once_and_offers_no_csv(client):
    builtin()
    client.force_login(make_reviewer())
    text = client.get(reverse("surveys:results", args=["forbattringsarbete"])).text
    assert text.count("Inga omgångar ännu.") == 1
    assert "Ingen omgång har 5 eller fler svar" not in text
    assert "Ladda ner som CSV" not in text
