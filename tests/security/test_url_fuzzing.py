"""Property: whatever is put into any URL's path or query string, by anyone, the answer is a
page, a redirect or a clear 4xx, never a server error.

Every pattern of the URLconf (the admin's too) is walked; each converter or regex group is
filled with fuzzed values (huge and negative numbers, NUL bytes, unicode, very long strings,
and the ids of real objects so that requests also get past the access checks), and each
request carries a fuzzed query string, as every persona in tests/conftest.py, by GET and POST
(the test client does not check CSRF). The examples are derandomised, so a run is repeatable.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.examples import examples
from tests.test_access_matrix import PERSONAS

EDGES = [
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 40,
    "\x00",
    "abc\x00",
    "%00",
    "ä",
    "²",
    "٣",
    "１",
    "1-²",
    "💥",
    "\u202e",
    "a" * 3000,
    "../..",
    "00000000-0000-0000-0000-000000000000",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "FREQ=DAILY;INTERVAL=-1",
]
FUZZ = st.one_of(st.sampled_from(EDGES), st.text(max_size=60))
QUERY_KEYS = [
    "next",
    "page",
    "team",
    "teams",
    "period",
    "start",
    "end",
    "kind",
    "status",
    "question",
    "session",
    "goal",
    "day",
    "date",
    "week",
    "month",
    "year",
    "q",
    "filter",
    "o",
    "p",
    "custom_rule",
    "frequency",
    "after",
    "theme",
    "show",
    "team_goal",
    "action",
    "person",
    "v",
]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Template:
    """A URL pattern as literal pieces and named holes."""

    name: str
    pieces: tuple[str | tuple[str, str], ...]  # text, or (converter, parameter name)

    def fill(self, values: dict[str, str]) -> str:
        parts = []
        for piece in self.pieces:
            parts.append(quote(values[piece[1]], safe="") if isinstance(piece, tuple) else piece)
        return "/" + "".join(parts)

    @property
    def holes(self) -> list[tuple[str, str]]:
        return [piece for piece in self.pieces if isinstance(piece, tuple)]


def _pieces(pattern) -> list[str | tuple[str, str]]:
    if isinstance(pattern, RoutePattern):
        text, holes = str(pattern), PARAMETER
    else:
        assert isinstance(pattern, RegexPattern)
        text, holes = pattern._regex.lstrip("^").rstrip("$").replace("\\", ""), GROUP
    pieces, at = [], 0
    for match in holes.finditer(text):
        pieces.append(text[at : match.start()])
        converter = match.groupdict().get("converter") or ("str" if holes is PARAMETER else "re")
        pieces.append((converter, match["name"]))
        at = match.end()
    pieces.append(text[at:])
    return [piece for piece in pieces if piece != ""]


def url_templates(resolver: URLResolver | None = None, prefix=()) -> list[Template]:
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        pieces = (*prefix, *_pieces(pattern.pattern))
        if isinstance(pattern, URLResolver):
            found += url_templates(pattern, pieces)
        elif isinstance(pattern, URLPattern):
            found.append(Template(pattern.name or str(pattern.pattern), pieces))
    return found


TEMPLATES = url_templates()


def test_the_walk_finds_every_kind_of_pattern():
    converters = {hole[0] for template in TEMPLATES for hole in template.holes}
    assert {"int", "str", "uuid", "path", "re"} <= converters
    assert len(TEMPLATES) > 100  # the project's pages and the admin's


def real_values(world) -> list[str]:
    """Ids of the world's objects, so that fuzzed requests also reach views past the 404s."""
    return [str(obj.pk) for obj in world.values() if obj is not None]


def requests(world):
    values = st.one_of(FUZZ, st.sampled_from(real_values(world)))
    query = st.dictionaries(
        st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=10)),
        st.one_of(values, st.lists(values, max_size=3)),  # a key given more than once
    )
    return st.tuples(
        st.sampled_from(TEMPLATES),
        st.dictionaries(st.sampled_from(sorted(_all_names())), values),
        query,
        st.sampled_from(["get", "post"]),
    )


def _all_names() -> set[str]:
    return {hole[1] for template in TEMPLATES for hole in template.holes}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_url_gives_a_server_error(world, persona):
    user = world[persona]
    browser = Client(raise_request_exception=True)
    if user is not None:
        assert browser.login(username=user.username, password=PASSWORD)
    default = dict.fromkeys(_all_names(), "1")

    # Every pattern with its holes at the edges that used to fail (NUL, out of range), and
    # at a long run of unicode.
    long_unicode = "ä💥\u202e²" * 500
    edges = (("\x00", "get"), ("9" * 40, "post"), ("-1", "get"), (long_unicode, "post"))
    for template in TEMPLATES:
        for edge, method in edges:
            path = template.fill(dict.fromkeys(_all_names(), edge))
            response = getattr(browser, method)(path, {"next": edge})
            assert response.status_code < 500, (persona, method, path)
            _stay_signed_in(browser, user)

    @settings(
        max_examples=examples(60),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(world))
    def fuzz(request):
        template, values, query, method = request
        path = template.fill(default | values)
        response = getattr(browser, method)(path, query)
        assert response.status_code < 500, (persona, method, path, query)
        _stay_signed_in(browser, user)

    fuzz()


def _stay_signed_in(browser: Client, user) -> None:
    """A fuzzed POST to the sign-out URL signs the persona out; sign them in again."""
    if user is not None and "_auth_user_id" not in browser.session:
        browser.force_login(user)
