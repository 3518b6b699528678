import pytest
from django.core.management import call_command

from samtal.evaluations.models import Evaluation, GroupSplit
from samtal.meetings.models import Meeting
from samtal.surveys import results as survey_results
from samtal.surveys.models import Round
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_the_finished_demo_meeting_has_evaluations_and_a_split(demo):
    hemtjanst = Meeting.objects.get(theme="Hemtjänst")
    assert Evaluation.objects.for_meeting(hemtjanst).count() >= 3
    split = GroupSplit.for_meeting(hemtjanst)
    assert split.source == "average" and split.count >= 5
    assert round(sum(split.percentages)) == 100


def test_the_demo_has_two_survey_rounds_with_at_least_5_responses_each(demo):
    rounds = Round.objects.with_response_count().order_by("opens_on")
    assert [r.name for r in rounds] == ["Före", "Efter"]
    assert all(r.response_count >= 5 for r in rounds)
    assert rounds.last().is_open()
    data = survey_results.compute("forbattringsarbete", organisation=make_organisation())
    assert len(data.shown_rounds) == 2
    assert data.statements[0]["changes"]
