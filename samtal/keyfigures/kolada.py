"""A small client for Kolada's open REST API, version 3 (https://api.kolada.se/v3/).

Kolada is RKA's database of key figures (nyckeltal) for Swedish municipalities, regions and
their organisational units; its data is CC BY 4.0 and must be shown with "Källa: Kolada".

Everything that can go wrong with the network or the answer (timeouts, refused connections,
5xx, 429 rate limits, an empty body, malformed JSON, a shape we do not recognise) raises
KoladaError with a message in Swedish that can be shown to the user as it is. A value Kolada
does not have (missing or confidential) stays None: it is never turned into 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from django.conf import settings

RIKET = "0000"
GENDERS = ("T", "K", "M")
# Kolada refuses very long comma-separated lists; these keep every path short.
IDS_PER_REQUEST = 25
YEARS_PER_REQUEST = 20
PER_PAGE = 5000
MAX_PAGES = 100


class KoladaError(Exception):
    """Kolada could not be asked or its answer could not be used. str() is Swedish."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str = ""
    is_divided_by_gender: bool = False
    municipality_type: str = ""


@dataclass(frozen=True)
class Municipality:
    id: str
    title: str
    type: str  # "K" kommun, "L" region (landsting); Riket "0000" is type "L" in Kolada


@dataclass(frozen=True)
class MunicipalityGroup:
    id: str
    title: str
    members: tuple[Municipality, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OrganisationalUnit:
    id: str
    title: str
    municipality: str


@dataclass(frozen=True)
class DataPoint:
    kpi: str
    area: str  # a municipality id or an organisational unit id
    year: int
    gender: str  # "T" total, "K" kvinnor, "M" män
    value: float | None
    status: str = ""


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KoladaClient:
    def __init__(self, base_url=None, timeout=None, transport=None):
        base = base_url or settings.KOLADA_BASE_URL
        self.base_url = base if base.endswith("/") else base + "/"
        self.timeout = timeout if timeout is not None else settings.KOLADA_TIMEOUT
        self._http = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            headers={"Accept": "application/json", "User-Agent": "Samtal (resultatsamtal)"},
            follow_redirects=True,
            transport=transport,
        )

    def close(self):
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- Metadata ----------------------------------------------------------------------

    def search_kpis(self, words, limit=30):
        """Key figures whose title contains all the words (Swedish, case-insensitive)."""
        words = [w for w in str(words).split() if w]
        if not words:
            return []
        phrase = " ".join(words)
        found = self._kpis(self._get_all("kpi", {"title": phrase}))
        if not found and len(words) > 1:
            # Kolada matches the title as one phrase: ask for the longest word and keep the
            # key figures that also contain the others, in the title or the description.
            candidates = self._kpis(self._get_all("kpi", {"title": max(words, key=len)}))
            lowered = [w.lower() for w in words]
            found = [
                kpi
                for kpi in candidates
                if all(w in f"{kpi.title} {kpi.description}".lower() for w in lowered)
            ]
        return found[:limit]

    def kpi(self, kpi_id):
        kpis = self._kpis(self._get_all(f"kpi/{_path_part(kpi_id)}"))
        if not kpis:
            raise KoladaError(f"Kolada känner inte till nyckeltalet {kpi_id}.")
        return kpis[0]

    def municipalities(self, title=None, type=None):
        params = {}
        if title:
            params["title"] = title
        if type:
            params["type"] = type
        return [self._municipality(row) for row in self._get_all("municipality", params)]

    def municipality(self, municipality_id):
        rows = self._get_all(f"municipality/{_path_part(municipality_id)}")
        if not rows:
            raise KoladaError(f"Kolada känner inte till kommunen {municipality_id}.")
        return self._municipality(rows[0])

    def municipality_groups(self, title=None):
        params = {"title": title} if title else {}
        groups = []
        for row in self._get_all("municipality_groups", params):
            members = row.get("members") or []
            if not isinstance(members, list):
                raise _shape_error()
            groups.append(
                MunicipalityGroup(
                    id=_text(row, "id"),
                    title=_text(row, "title"),
                    members=tuple(
                        Municipality(id=_text(m, "id"), title=_text(m, "title", ""), type="K")
                        for m in members
                    ),
                )
            )
        return groups

    def organisational_units(self, municipality_id, title=None):
        params = {"municipality": municipality_id}
        if title:
            params["title"] = title
        return [
            OrganisationalUnit(
                id=_text(row, "id"),
                title=_text(row, "title"),
                municipality=_text(row, "municipality", municipality_id),
            )
            for row in self._get_all("ou", params)
        ]

    # --- Data --------------------------------------------------------------------------

    def data(self, kpi_ids, municipality_ids, years):
        """Values of the key figures for the municipalities (incl. "0000" Riket) and years."""
        return self._data(
            "data/kpi/{kpis}/municipality/{areas}/year/{years}",
            kpi_ids,
            municipality_ids,
            years,
            "municipality",
        )

    def ou_data(self, kpi_ids, ou_ids, years):
        """Values of the key figures for organisational units (schools, care homes…)."""
        return self._data("oudata/kpi/{kpis}/ou/{areas}/year/{years}", kpi_ids, ou_ids, years, "ou")

    def _data(self, pattern, kpi_ids, area_ids, years, area_key):
        points = []
        for kpis in chunks(_unique(kpi_ids), IDS_PER_REQUEST):
            for areas in chunks(_unique(area_ids), IDS_PER_REQUEST):
                for some_years in chunks(sorted({int(y) for y in years}), YEARS_PER_REQUEST):
                    path = pattern.format(
                        kpis=",".join(_path_part(k) for k in kpis),
                        areas=",".join(_path_part(a) for a in areas),
                        years=",".join(str(y) for y in some_years),
                    )
                    for row in self._get_all(path):
                        points.extend(_data_points(row, area_key))
        return points

    # --- HTTP --------------------------------------------------------------------------

    def _get_all(self, path, params=None):
        """All "values" of an answer, following the link to the next page."""
        url = urljoin(self.base_url, path)
        params = {**(params or {}), "per_page": PER_PAGE}
        values = []
        seen = set()
        for _page in range(MAX_PAGES):
            body = self._get_json(url, params)
            page_values = body.get("values")
            if not isinstance(page_values, list) or not all(
                isinstance(v, dict) for v in page_values
            ):
                raise _shape_error()
            values.extend(page_values)
            next_url = body.get("next_page") or body.get("next_url")
            if not next_url:
                return values
            if not isinstance(next_url, str):
                raise _shape_error()
            url = urljoin(url, next_url)
            if url in seen:
                raise KoladaError("Kolada skickade samma sida flera gånger. Försök igen senare.")
            seen.add(url)
            params = None  # the link carries its own query
        raise KoladaError("Koladas svar hade orimligt många sidor. Försök igen senare.")

    def _get_json(self, url, params):
        try:
            response = self._http.get(url, params=params)
        except httpx.TimeoutException as error:
            raise KoladaError(
                f"Kolada svarade inte inom {self.timeout:g} sekunder. Försök igen senare."
            ) from error
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise KoladaError(
                f"Adressen till Kolada är felaktig ({self.base_url}); se KOLADA_BASE_URL."
            ) from error
        except httpx.HTTPError as error:
            raise KoladaError(
                "Det gick inte att nå Kolada. Kontrollera nätverket eller försök igen senare."
            ) from error
        status = response.status_code
        if status == 429:
            wait = response.headers.get("Retry-After", "")
            later = f" om {wait} sekunder" if wait.isdigit() else " om en stund"
            raise KoladaError(
                f"Kolada tar emot för många frågor just nu (för många anrop). Försök igen{later}."
            )
        if status >= 500:
            raise KoladaError(
                f"Kolada har ett tekniskt fel just nu (felkod {status}). Försök igen senare."
            )
        if status == 404:
            raise KoladaError("Kolada hittade inte det som efterfrågades (felkod 404).")
        if status >= 400:
            raise KoladaError(f"Kolada avvisade frågan (felkod {status}).")
        if not response.content.strip():
            raise KoladaError("Kolada svarade tomt. Försök igen senare.")
        try:
            body = response.json()
        except ValueError as error:
            raise KoladaError(
                "Kolada svarade med något som inte går att läsa (inte JSON). Försök igen senare."
            ) from error
        if not isinstance(body, dict):
            raise _shape_error()
        return body

    # --- Parsing -----------------------------------------------------------------------

    @staticmethod
    def _kpis(rows):
        return [
            Kpi(
                id=_text(row, "id"),
                title=_text(row, "title"),
                description=_text(row, "description", ""),
                is_divided_by_gender=bool(row.get("is_divided_by_gender")),
                municipality_type=_text(row, "municipality_type", ""),
            )
            for row in rows
        ]

    @staticmethod
    def _municipality(row):
        return Municipality(
            id=_text(row, "id"), title=_text(row, "title"), type=_text(row, "type", "")
        )


def _shape_error():
    return KoladaError(
        "Koladas svar hade ett oväntat format (API:et kan ha ändrats). "
        "De senast hämtade värdena visas tills vidare."
    )


def _text(row, key, default=None):
    value = row.get(key, default)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _shape_error()
    return str(value)


def _unique(items):
    return list(dict.fromkeys(str(item) for item in items))


def _path_part(value):
    value = str(value).strip()
    if not value or not all(ch.isalnum() or ch in "-_" for ch in value):
        raise KoladaError(f"Ogiltigt id för Kolada: ”{value}”.")
    return value


def _data_points(row, area_key):
    try:
        kpi = _text(row, "kpi")
        area = _text(row, area_key)
        year = int(row["period"])
        values = row["values"]
    except (KeyError, TypeError, ValueError) as error:
        raise _shape_error() from error
    if not isinstance(values, list):
        raise _shape_error()
    points = []
    for item in values:
        if not isinstance(item, dict):
            raise _shape_error()
        gender = item.get("gender", "T")
        if gender not in GENDERS:
            continue  # a division we do not show
        points.append(
            DataPoint(
                kpi=kpi,
                area=area,
                year=year,
                gender=gender,
                value=_number(item.get("value")),
                status=str(item.get("status") or ""),
            )
        )
    return points


def _number(value):
    """None stays None (missing or confidential); anything else must be a finite number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _shape_error()
    value = float(value)
    if not math.isfinite(value):
        raise _shape_error()
    return value
