"""The Kolada client against the fake Kolada on loopback (tests/fake_kolada.py)."""

import re

import pytest

from samtal.keyfigures import kolada
from samtal.keyfigures.kolada import KoladaClient, KoladaError

from .fake_kolada import fake_kolada_fixture  # noqa: F401


@pytest.fixture
def client(fake_kolada):
    with KoladaClient(base_url=fake_kolada.base_url, timeout=1.0) as client:
        yield client


def test_search_finds_key_figures_by_a_swedish_word(client):
    found = client.search_kpis("hemtjänst")
    assert [k.id for k in found] == ["N99001", "N99002"]
    assert found[0].is_divided_by_gender is True
    assert found[1].is_divided_by_gender is False
    assert "nöjda" in found[0].description


def test_search_with_several_words_keeps_figures_containing_all(client, fake_kolada):
    found = client.search_kpis("hemtjänst   kostnad")
    assert [k.id for k in found] == ["N99002"]
    # First the phrase, then the longest word.
    assert [q["title"] for p, q in fake_kolada.requests if p == "/v3/kpi"] == [
        "hemtjänst kostnad",
        "hemtjänst",
    ]


def test_search_without_words_asks_nothing(client, fake_kolada):
    assert client.search_kpis("   ") == []
    assert fake_kolada.requests == []


def test_kpi_metadata_and_an_unknown_kpi(client):
    assert client.kpi("N99002").title.startswith("Kostnad hemtjänst")
    with pytest.raises(KoladaError, match="känner inte till nyckeltalet N00000"):
        client.kpi("N00000")


def test_municipalities_include_riket_and_regions(client):
    everything = {m.id: m for m in client.municipalities()}
    assert everything["0000"].title == "Riket"
    assert everything["2281"].type == "K"
    assert everything["0022"].type == "L"
    assert [m.id for m in client.municipalities(type="K")] == ["2281", "2262", "2280"]
    assert client.municipality("2262").title == "Timrå"


def test_municipality_groups_come_with_their_members(client):
    (group,) = client.municipality_groups(title="hemtjänst")
    assert group.id == "G99001"
    assert [m.id for m in group.members] == ["2262", "2280"]


def test_organisational_units_of_a_municipality(client, fake_kolada):
    (unit,) = client.organisational_units("2281", title="skolan")
    assert (unit.id, unit.title) == ("V99TEST001", "Testskolan 7–9")
    assert fake_kolada.requests[-1][1]["municipality"] == "2281"


def test_data_keeps_null_values_as_none(client):
    points = client.data(["N99001"], ["2281"], [2018, 2019, 2020])
    by_key = {(p.year, p.gender): p.value for p in points}
    assert by_key[(2018, "T")] == 83.0
    assert by_key[(2019, "T")] is None
    assert by_key[(2019, "K")] is None
    assert by_key[(2020, "M")] == 82.0


def test_data_follows_the_next_page_link(client, fake_kolada):
    fake_kolada.page_size = 4
    points = client.data(["N99002"], ["2281", "0000", "2262"], range(2015, 2026))
    assert len(points) == 33  # 11 years × 3 areas
    data_requests = [q for p, q in fake_kolada.requests if p.startswith("/v3/data/")]
    assert len(data_requests) == 9  # 33 rows, 4 per page
    assert [q.get("page") for q in data_requests][:3] == [None, "2", "3"]


def test_long_lists_of_ids_and_years_are_split(client, fake_kolada, monkeypatch):
    monkeypatch.setattr(kolada, "IDS_PER_REQUEST", 2)
    monkeypatch.setattr(kolada, "YEARS_PER_REQUEST", 5)
    points = client.data(["N99002"], ["2281", "0000", "2262"], range(2015, 2026))
    assert len(points) == 33
    paths = [p for p, q in fake_kolada.requests if p.startswith("/v3/data/")]
    assert len(paths) == 6  # 2 chunks of areas × 3 chunks of years
    assert "/municipality/2281,0000/year/2015,2016,2017,2018,2019" in paths[0]


def test_organisational_unit_data(client):
    points = client.ou_data(["N99003"], ["V99TEST001"], [2020])
    assert {(p.area, p.gender, p.value) for p in points} == {
        ("V99TEST001", "T", 71.0),
        ("V99TEST001", "K", 75.0),
        ("V99TEST001", "M", 67.0),
    }


@pytest.mark.parametrize(
    "failure, message",
    [
        ("500", "tekniskt fel just nu (felkod 500)"),
        ("429", "för många frågor just nu"),
        ("malformed", "inte går att läsa (inte JSON)"),
        ("empty", "Kolada svarade tomt"),
        ("shape", "oväntat format"),
    ],
)
def test_failures_raise_one_error_with_a_swedish_message(client, fake_kolada, failure, message):
    fake_kolada.fail(failure)
    with pytest.raises(KoladaError, match=re.escape(message)):
        client.data(["N99001"], ["2281"], [2020])


def test_a_rate_limit_says_when_to_try_again(client, fake_kolada):
    fake_kolada.fail("429")
    with pytest.raises(KoladaError, match="Försök igen om 30 sekunder"):
        client.search_kpis("hemtjänst")


def test_a_timeout_raises_a_swedish_error(fake_kolada):
    fake_kolada.fail("timeout")
    fake_kolada.delay = 1.5
    with (
        KoladaClient(base_url=fake_kolada.base_url, timeout=0.3) as client,
        pytest.raises(KoladaError, match="svarade inte inom 0.3 sekunder"),
    ):
        client.kpi("N99001")


def test_an_unreachable_kolada_raises_a_swedish_error():
    with (
        KoladaClient(base_url="http://127.0.0.1:9/v3/", timeout=1) as client,
        pytest.raises(KoladaError, match="Det gick inte att nå Kolada"),
    ):
        client.kpi("N99001")


def test_a_value_that_is_not_a_number_is_an_unexpected_shape(client, fake_kolada):
    fake_kolada.data[("N99001", "2281", 2020)] = [{"gender": "T", "value": "83,5"}]
    with pytest.raises(KoladaError, match="oväntat format"):
        client.data(["N99001"], ["2281"], [2020])


def test_ids_with_odd_characters_never_reach_the_path(client, fake_kolada):
    with pytest.raises(KoladaError, match="Ogiltigt id"):
        client.kpi("../admin")
    assert fake_kolada.requests == []


def test_a_malformed_base_url_is_named_not_a_crash():
    with (
        KoladaClient(base_url="kolada.example/v3/", timeout=1) as client,
        pytest.raises(KoladaError, match="Adressen till Kolada är felaktig"),
    ):
        client.kpi("N99001")
