"""Behaviour that only PostgreSQL can show: real concurrent writers."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from samtal.meetings.models import Meeting
from tests.factories import make_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_changes_never_lose_a_version_increment():
    meeting = make_meeting()
    start = meeting.version

    def bump(_):
        try:
            Meeting.objects.get(pk=meeting.pk).bump_version()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(bump, range(80)))

    meeting.refresh_from_db()
    assert meeting.version == start + 80


def test_the_swedish_text_search_configuration_stems_swedish_words():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('swedish', 'Hemtjänsten förbättrade väntetiderna')")
        (vector,) = cursor.fetchone()
    assert "'hemtjänst'" in vector and "'väntetid'" in vector
