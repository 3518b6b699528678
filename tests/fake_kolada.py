"""A fake Kolada v3 on loopback for the tests: http.server in a thread.

It answers in Kolada's shape (values, count, next_page) with made-up values that are clearly
test data ("testdata" in every title), pages its answers when told to, and can fail on
purpose: a timeout, 500, 429, malformed JSON, an empty body, or an unexpected shape.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

KPIS = [
    {
        "id": "N99001",
        "title": "Brukarbedömning hemtjänst, helhetssyn, andel (%) – testdata",
        "description": "Påhittat nyckeltal för tester: andel brukare som är nöjda.",
        "is_divided_by_gender": 1,
        "municipality_type": "K",
    },
    {
        "id": "N99002",
        "title": "Kostnad hemtjänst, kr/brukare – testdata",
        "description": "Påhittat nyckeltal för tester: kostnad per brukare.",
        "is_divided_by_gender": 0,
        "municipality_type": "K",
    },
    {
        "id": "N99003",
        "title": "Elever i åk 9 som är behöriga till gymnasiet, andel (%) – testdata",
        "description": "Påhittat nyckeltal för tester om skolan.",
        "is_divided_by_gender": 1,
        "municipality_type": "K",
    },
]

MUNICIPALITIES = [
    {"id": "0000", "title": "Riket", "type": "L"},
    {"id": "2281", "title": "Sundsvall", "type": "K"},
    {"id": "2262", "title": "Timrå", "type": "K"},
    {"id": "2280", "title": "Härnösand", "type": "K"},
    {"id": "0022", "title": "Region Västernorrland", "type": "L"},
]

GROUPS = [
    {
        "id": "G99001",
        "title": "Liknande kommuner, hemtjänst – testdata",
        "members": [{"id": "2262", "title": "Timrå"}, {"id": "2280", "title": "Härnösand"}],
    },
    {"id": "G99002", "title": "Liknande kommuner, skola – testdata", "members": []},
]

OUS = [
    {"id": "V99TEST001", "title": "Testskolan 7–9", "municipality": "2281"},
    {"id": "V99TEST002", "title": "Testboendet", "municipality": "2281"},
]


def made_up_data():
    """(kpi, area, year) -> [{"gender", "value"}]. Deliberately odd numbers: test data."""
    data = {}
    for year in range(2015, 2026):
        step = year - 2015
        data[("N99001", "2281", year)] = [
            {"gender": "T", "value": 80.0 + step, "status": ""},
            {"gender": "K", "value": 82.0 + step, "status": ""},
            {"gender": "M", "value": 77.0 + step, "status": ""},
        ]
        data[("N99001", "0000", year)] = [
            {"gender": "T", "value": 84.5, "status": ""},
            {"gender": "K", "value": 85.0, "status": ""},
            {"gender": "M", "value": 83.0, "status": ""},
        ]
        data[("N99002", "2281", year)] = [{"gender": "T", "value": 250000.0 + 1000 * step}]
        data[("N99002", "0000", year)] = [{"gender": "T", "value": 260000.0}]
        data[("N99002", "2262", year)] = [{"gender": "T", "value": 240000.0}]
        data[("N99002", "2280", year)] = [{"gender": "T", "value": 270000.0}]
    # A missing (or confidential) value: null, never 0.
    data[("N99001", "2281", 2019)] = [
        {"gender": "T", "value": None, "status": "Missing"},
        {"gender": "K", "value": None, "status": "Missing"},
        {"gender": "M", "value": None, "status": "Missing"},
    ]
    data[("N99002", "2280", 2020)] = [{"gender": "T", "value": None}]
    # An organisational unit's values.
    for year in range(2019, 2025):
        data[("N99003", "V99TEST001", year)] = [
            {"gender": "T", "value": 70.0 + year - 2019},
            {"gender": "K", "value": 74.0 + year - 2019},
            {"gender": "M", "value": 66.0 + year - 2019},
        ]
        data[("N99003", "0000", year)] = [{"gender": "T", "value": 85.5}]
    return data


class FakeKolada:
    def __init__(self):
        self.kpis = [dict(k) for k in KPIS]
        self.municipalities = [dict(m) for m in MUNICIPALITIES]
        self.groups = [dict(g) for g in GROUPS]
        self.ous = [dict(o) for o in OUS]
        self.data = made_up_data()
        self.page_size = None  # page answers of more than this many values
        self.failure = None  # "timeout", "500", "429", "malformed", "empty", "shape"
        self.failures_left = 0  # 0: every request fails while failure is set
        self.failure_only = ""
        self.delay = 3.0  # seconds a "timeout" answer waits
        self.requests = []  # (path, query dict)
        self._server = None
        self._thread = None
        self._lock = threading.Lock()

    @property
    def base_url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v3/"

    def fail(self, kind, times=0, only=""):
        """Fail the next requests (all of them if times is 0), or only those whose path
        starts with /v3/<only>."""
        self.failure = kind
        self.failures_left = times
        self.failure_only = only

    def heal(self):
        self.failure = None

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                fake.handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    # --- Answers ------------------------------------------------------------------------

    def handle(self, request):
        parts = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.requests.append((parts.path, query))
        kind = self._take_failure(parts.path)
        if kind:
            return self._fail(request, kind)
        path = parts.path.removeprefix("/v3/").strip("/").split("/")
        values = self._values(path, query)
        if values is None:
            return self._send(request, 404, json.dumps({"error": "not found"}).encode())
        page = int(query.get("page", "1"))
        size = self.page_size or int(query.get("per_page", "5000"))
        chunk = values[(page - 1) * size : page * size]
        body = {"values": chunk, "count": len(chunk)}
        if page * size < len(values):
            next_query = {**query, "page": page + 1}
            host, port = self._server.server_address[:2]
            body["next_page"] = f"http://{host}:{port}{parts.path}?{urlencode(next_query)}"
        self._send(request, 200, json.dumps(body).encode())

    def _take_failure(self, path):
        with self._lock:
            kind = self.failure
            if kind and not path.startswith("/v3/" + self.failure_only):
                return None
            if kind and self.failures_left:
                self.failures_left -= 1
                if self.failures_left == 0:
                    self.failure = None
            return kind

    def _fail(self, request, kind):
        if kind == "timeout":
            time.sleep(self.delay)
            return self._send(request, 200, b'{"values": [], "count": 0}')
        if kind == "500":
            return self._send(request, 500, b"Internal Server Error")
        if kind == "429":
            return self._send(request, 429, b'{"error": "too many"}', {"Retry-After": "30"})
        if kind == "malformed":
            return self._send(request, 200, b'{"values": [{"id": "N99001", "title": ')
        if kind == "empty":
            return self._send(request, 200, b"")
        if kind == "shape":
            return self._send(request, 200, b'{"result": {"rows": []}}')
        raise AssertionError(f"unknown failure {kind}")

    def _send(self, request, status, body, headers=None):
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _values(self, path, query):
        title = query.get("title", "").lower()
        match path:
            case ["kpi"]:
                return [k for k in self.kpis if title in k["title"].lower()]
            case ["kpi", ids]:
                wanted = ids.split(",")
                return [k for k in self.kpis if k["id"] in wanted]
            case ["municipality"]:
                return [
                    m
                    for m in self.municipalities
                    if title in m["title"].lower()
                    and (not query.get("type") or m["type"] == query["type"])
                ]
            case ["municipality", ids]:
                wanted = ids.split(",")
                return [m for m in self.municipalities if m["id"] in wanted]
            case ["municipality_groups"]:
                return [g for g in self.groups if title in g["title"].lower()]
            case ["ou"]:
                return [
                    o
                    for o in self.ous
                    if title in o["title"].lower()
                    and o["municipality"] == query.get("municipality", o["municipality"])
                ]
            case ["data", "kpi", kpis, "municipality", areas, "year", years]:
                return self._data(kpis, areas, years, "municipality")
            case ["oudata", "kpi", kpis, "ou", areas, "year", years]:
                return self._data(kpis, areas, years, "ou")
        return None

    def _data(self, kpis, areas, years, area_key):
        if len(areas.split(",")) > 25 or len(years.split(",")) > 25:
            return None  # like Kolada, refuse very long lists
        rows = []
        for kpi in kpis.split(","):
            for area in areas.split(","):
                for year in years.split(","):
                    values = self.data.get((kpi, area, int(year)))
                    if values is not None:
                        rows.append(
                            {"kpi": kpi, area_key: area, "period": int(year), "values": values}
                        )
        return rows


@pytest.fixture(name="fake_kolada")
def fake_kolada_fixture(settings):
    """A running fake Kolada that the app's settings point at. Import it into a test module:
    from tests.fake_kolada import fake_kolada_fixture  # noqa: F401"""
    fake = FakeKolada().start()
    settings.KOLADA_BASE_URL = fake.base_url
    settings.KOLADA_ENABLED = True
    yield fake
    fake.stop()
