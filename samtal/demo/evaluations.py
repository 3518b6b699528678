"""Demo data for evaluation: reflections and a four-perspective split for the finished
Hemtjänst meeting, and two self-assessment rounds (Före, Efter) with enough responses to show.

Called from seed_demo's load_demo (after the meetings exist).
"""

import datetime
import random

from samtal.evaluations.models import Evaluation, PerspectiveSplit, ReflectionRequest
from samtal.meetings.models import Meeting, Unit
from samtal.participants.models import Participation
from samtal.surveys.models import Answer, Instrument, Response, Round

REFLECTIONS = [
    {
        "role": "Ordförande i vård- och omsorgsnämnden",
        "method_clarified": (
            "Ja. Att börja i det som fungerar gjorde det lättare att prata om förväntningarna "
            "utan att det blev försvar."
        ),
        "everyone_spoke": (
            "Laget runt gjorde att alla kom till tals, även de som brukar vara tysta."
        ),
        "views_taken_care_of": "I stort sett. Kompetensförsörjningen hann vi inte gå in på.",
        "documentation_useful": "A3:an blir ett bra stöd i nämndens uppföljning.",
        "time_distribution": "Reflektionen fick gärna vara längre; bakgrunden kan kortas.",
        "good_and_less_good": "Bra struktur. Mindre bra att underlaget kom sent.",
        "other_comments": "",
    },
    {
        "role": "Förvaltningschef",
        "method_clarified": "Tydligare än tidigare dialoger, särskilt nästa steg med vem och när.",
        "everyone_spoke": "Ja, samtalsledaren var noga med att fördela ordet.",
        "views_taken_care_of": "Ja.",
        "documentation_useful": "Mycket – den visas redan på ledningsgruppens möte.",
        "time_distribution": "Önskningarna tog längre tid än planerat.",
        "good_and_less_good": "Bra: styrkebaserade frågor. Saknade: ekonomiska nyckeltal.",
        "other_comments": "Gärna samma upplägg nästa år.",
    },
    {
        "role": "Controller",
        "method_clarified": (
            "Delvis. Vi kopplade resultaten till brukarnyttan men inte till ekonomin."
        ),
        "everyone_spoke": "Ja.",
        "views_taken_care_of": "Min fråga om kostnad per brukare parkerades och kom inte tillbaka.",
        "documentation_useful": "Användbar, men bör kompletteras med siffror.",
        "time_distribution": "Ja.",
        "good_and_less_good": "",
        "other_comments": "",
    },
]

# Each device's split: citizens, employees, process, economy, other.
SPLITS = [
    (45, 20, 20, 10, 5),
    (40, 25, 20, 10, 5),
    (50, 15, 20, 15, 0),
    (35, 25, 25, 10, 5),
    (40, 20, 25, 15, 0),
]

# Round name, days before today it opened, responses per function.
ROUNDS = [
    ("Före", 200, {"ledning": 6, "stod": 4}),
    ("Efter", 30, {"ledning": 5, "stod": 5, "politik": 2}),
]


def load_demo_evaluations(today):
    meeting = Meeting.objects.finished().filter(theme="Hemtjänst").select_related("unit").first()
    if meeting is not None:
        load_meeting_evaluation(meeting)
    unit = meeting.unit if meeting else Unit.objects.first()
    load_survey_rounds(unit, today)


def load_meeting_evaluation(meeting):
    participations = list(
        meeting.participations.exclude(role=Participation.Role.OBSERVER).order_by("position")
    )
    for participation in participations:
        ReflectionRequest.objects.get_or_create(participation=participation)
    speakers = [p for p in participations if p.role == Participation.Role.PARTICIPANT]
    for participation, answers in zip(speakers, REFLECTIONS, strict=False):
        Evaluation.objects.get_or_create(participation=participation, defaults=answers)
    for participation, values in zip(participations, SPLITS, strict=False):
        PerspectiveSplit.objects.get_or_create(
            meeting=meeting,
            participation=participation,
            is_group_entry=False,
            defaults=dict(
                zip(["citizens", "employees", "process", "economy", "other"], values, strict=True),
                other_what="Lokalfrågor" if values[4] else "",
            ),
        )
    meeting.bump_version()


def load_survey_rounds(unit, today):
    instrument = Instrument.objects.filter(key="forbattringsarbete").order_by("-version").first()
    if instrument is None or Round.objects.filter(instrument=instrument).exists():
        return
    statements = list(instrument.statements.all())
    rng = random.Random(2026)
    for index, (name, days_ago, per_function) in enumerate(ROUNDS):
        opens = today - datetime.timedelta(days=days_ago)
        round = Round.objects.create(
            instrument=instrument,
            name=name,
            organisation=unit.organisation,
            unit=unit,
            opens_on=opens,
            # The last round stays open, so the demo's survey link can be tried.
            closes_on=None if index == len(ROUNDS) - 1 else opens + datetime.timedelta(days=21),
        )
        for function, count in per_function.items():
            for _ in range(count):
                response = Response.objects.create(round=round, function=function, unit=unit)
                Answer.objects.bulk_create(
                    Answer(
                        response=response,
                        statement=statement,
                        value=max(
                            1,
                            min(7, 3 + index + (statement.number % 3 == 0) + rng.randint(-1, 2)),
                        ),
                    )
                    for statement in statements
                )
