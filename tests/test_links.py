import datetime

import pytest
from django.core import signing

from samtal.core.tokens import LinkError
from samtal.participants.links import make_token, participation_for_token
from tests.factories import add_participant, make_meeting

pytestmark = pytest.mark.django_db


def test_a_fresh_token_leads_to_its_participation():
    participation = add_participant(make_meeting(), "Maria Ek")
    assert participation_for_token(make_token(participation)) == participation


def test_a_tampered_token_is_refused_as_invalid():
    token = make_token(add_participant(make_meeting(), "Maria Ek"))
    with pytest.raises(LinkError) as error:
        participation_for_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert error.value.reason == "invalid"


def test_a_token_signed_for_something_else_is_refused():
    participation = add_participant(make_meeting(), "Maria Ek")
    forged = signing.dumps({"p": participation.pk, "g": 1}, salt="another-purpose")
    with pytest.raises(LinkError) as error:
        participation_for_token(forged)
    assert error.value.reason == "invalid"


def test_a_revoked_link_stops_working_and_a_new_one_works():
    participation = add_participant(make_meeting(), "Maria Ek")
    old = make_token(participation)
    participation.revoke_link()
    with pytest.raises(LinkError) as error:
        participation_for_token(old)
    assert error.value.reason == "revoked"
    assert participation_for_token(make_token(participation)) == participation


def test_a_link_expires_thirty_days_after_the_meeting():
    meeting = make_meeting(days_from_today=0)
    token = make_token(add_participant(meeting, "Maria Ek"))
    assert participation_for_token(token, today=meeting.date + datetime.timedelta(days=30))
    with pytest.raises(LinkError) as error:
        participation_for_token(token, today=meeting.date + datetime.timedelta(days=31))
    assert error.value.reason == "expired"


def test_a_token_for_a_removed_participation_is_invalid():
    participation = add_participant(make_meeting(), "Maria Ek")
    token = make_token(participation)
    participation.delete()
    with pytest.raises(LinkError) as error:
        participation_for_token(token)
    assert error.value.reason == "invalid"
