"""Cached page fragments: a page's main content rendered once per state of the data it shows.

docs/caching.md is the one page to read first. In short:

- **What.** The layout around a fragment (navigation, messages, the CSP nonce) is rendered per
  request; the fragment is a page's main content. Only pages that show no anonymous content are
  cached (the feed, the direction view, my learning, the dashboard, calendar feeds, and HR's
  report, which shows only sealed months). Questions and the session page (questions and the
  pulse) are rendered on every request, so no reader's request can change what the cache holds
  after an anonymous act.
- **Scopes.** A fragment names the scopes it reads: ``team:7`` (a team's sessions, rhythms,
  goals, agreement, members and their names), ``thoughts:7`` (its thoughts and replies),
  ``org:1`` (themes and settings), ``user:42`` (a person's goals, check-ins, roles and
  teams); every fragment also reads ``all``. Each scope has a generation, a random token in
  the cache with no time to live. Rows a view reads before the generations (the team or session
  its access check loads) put their version in the key (``variant``).
- **Explicit invalidation.** Each service that writes says which scopes it changes, inside its
  transaction: ``fragments.changed(...)`` forgets their tokens at once and again on commit, so
  the next reader draws a new token. No model signal is involved; learning_lead/fragment_scopes.py
  maps every model to the scope kinds it is shown through, and a test walks every service.
- **Shared, not per person.** The key holds the template, path and query string, language,
  time zone, the generations and a variant the view names, not who rendered it. What differs
  per person is marked with ``{% personal FACT KEY %}...{% otherwise %}...{% endpersonal %}``
  and chosen per request (``fill``); so is the CSRF token.
- **Only with a shared cache** (``FRAGMENT_CACHE``, on with Redis unless turned off).
- **Without Redis for a moment** (a failover), a fragment is built as without a cache and
  nothing is written; ``changed`` raises instead, so a write whose pages could not be forgotten
  is refused (503) rather than shown stale after Redis returns (docs/topology.md).
- **Expiry on the hour.** A fragment lives until the next full hour plus one, so its time to
  live says nothing about when it was made.
"""

import functools
import hashlib
import hmac
import re
import secrets
import time
import zlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from learning_lead import db_router, redis_cache

GENERATION = "fragment-gen:"
EVERYTHING = "all"

# Markers unguessable from user content: derived from SECRET_KEY, the same in every process.
MARK = hmac.new(settings.SECRET_KEY.encode(), b"page fragments", hashlib.sha256).hexdigest()[:24]
CSRF = f"\x02{MARK}csrf\x03"
PERSONAL_OPEN = "\x02" + MARK + "{fact}\x1f{key}\x03"
PERSONAL_ELSE = f"\x02{MARK}|\x03"
PERSONAL_END = f"\x02{MARK}/\x03"
_PERSONAL = re.compile(
    rf"\x02{MARK}([a-z_]+)\x1f([^\x03]*)\x03(.*?)\x02{MARK}\|\x03(.*?)\x02{MARK}/\x03", re.S
)

Facts = dict[str, Iterable | Callable[[set[str]], Iterable]]


def team(team_id) -> str:
    return f"team:{team_id}"


def thoughts(team_id) -> str:
    """A team's thoughts and replies (the feed, and those on team goals elsewhere)."""
    return f"thoughts:{team_id}"


def goal_thoughts(team_id) -> str:
    """A team's top-level thoughts on its team goals (the direction view and my learning show
    them; a thought on no goal leaves those pages as they were)."""
    return f"goal-thoughts:{team_id}"


def session(session_id) -> str:
    """One session's page: its thoughts and questions (read only by writer-filled pages)."""
    return f"session:{session_id}"


def enabled() -> bool:
    """Whether fragments are cached at all (``FRAGMENT_CACHE``)."""
    return settings.FRAGMENT_CACHE


def questions(team_id) -> str:
    """A team's anonymous content (questions, votes, answers, reports): read only by
    writer-filled fragments, which no reader's request fills."""
    return f"questions:{team_id}"


def org(org_id) -> str:
    return f"org:{org_id}"


def user(user_id) -> str:
    return f"user:{user_id}"


# Writer-filled pages (``read_filled``): for each scope kind, the functions that fill them
# again after a change of a scope of that kind, given its id. Registered by their app
# (reflections/apps.py); ``changed`` runs them when the writer's transaction commits.
FILLERS: dict[str, list[Callable[[int], None]]] = {}


def fill_after(kind: str, filler: Callable[[int], None]) -> None:
    """After a change of a ``kind`` scope commits, ``filler(its id)`` fills the writer-filled
    pages that show it."""
    FILLERS.setdefault(kind, []).append(filler)


def changed(*scopes: str) -> None:
    """The data of these scopes changed: their fragments are rendered afresh from now on, and
    the writer-filled pages that show them are filled again when the transaction commits.

    Raises when Redis cannot be reached, inside the service's transaction, so the write is
    undone and the request answers 503: a generation left unforgotten would show the old rows
    (a deleted thought) for up to two hours once Redis is back."""
    scopes = [scope for scope in scopes if scope]
    if not scopes:
        return
    keys = [GENERATION + scope for scope in scopes]
    cache.delete_many(keys)
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault(_PENDING, {"keys": set(), "fills": {}})
    pending["keys"].update(keys)
    for scope in scopes:
        kind, _, ident = scope.partition(":")
        for filler in FILLERS.get(kind, ()):
            pending["fills"][filler, int(ident)] = None
    # The first of these callbacks to run does all the transaction's work; the rest find none.
    transaction.on_commit(_after_commit, robust=True)


_PENDING = "_fragments_changed"


def _after_commit() -> None:
    """Once per commit: forget the changed scopes' generations again (a reader between the
    first forget and the commit saw old rows), then fill the writer-filled pages, each once."""
    pending = transaction.get_connection().__dict__.pop(_PENDING, None)
    if not pending:
        return
    cache.delete_many(sorted(pending["keys"]))
    for filler, ident in pending["fills"]:
        filler(ident)


def changed_everything() -> None:
    changed(EVERYTHING)


@contextmanager
def bulk():
    """For work that changes many rows at once (retention, account deletion, demo data): every
    fragment is rendered afresh after it."""
    try:
        yield
    finally:
        changed_everything()


def hour() -> int:
    """A variant for fragments that depend on the time (a window of sessions around now): the
    fragment is rendered afresh at least every hour."""
    return int(time.time()) // 3600


def _generations(scopes: list[str], *, draw: bool = True) -> list[str] | None:
    """The scopes' current tokens; a missing one is drawn, or with ``draw=False`` (a reader of
    a writer-filled fragment, who may change nothing) the answer is None."""
    keys = [GENERATION + scope for scope in scopes]
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            if not draw:
                return None
            token = secrets.token_hex(8)
            # No time to live: a TTL set when the token is drawn would date the last change.
            if not cache.add(key, token, timeout=None):
                token = cache.get(key) or token
        tokens.append(token)
    return tokens


def _timeout() -> int:
    """Seconds to the next full hour, plus an hour."""
    now = int(time.time())
    return 7200 - now % 3600


@functools.cache
def _build() -> str:
    """What this process renders with: the markers and the project's templates and code. A new
    deploy or SECRET_KEY never serves fragments made by the old one (markers it would not fill,
    facts its views no longer give)."""
    digest = hashlib.blake2b(MARK.encode(), digest_size=12)
    root = Path(settings.BASE_DIR)
    folders = {Path(config.path) for config in apps.get_app_configs()}
    folders = {
        folder
        for folder in folders
        if folder.is_relative_to(root) and "site-packages" not in folder.parts
    }
    for folder in sorted(folders | {root / "learning_lead", root / "templates"}):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _day_timeout() -> int:
    """Seconds to the second UTC midnight from now: a writer-filled fragment's time to live
    tells the day it was filled, nothing finer."""
    now = int(time.time())
    return 2 * 86400 - now % 86400


def _key(*parts, scopes: list[str], draw: bool = True) -> str | None:
    tokens = _generations(scopes, draw=draw)
    if tokens is None:
        return None
    parts = (
        _build(),
        *parts,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        *scopes,
        *tokens,
    )
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=20).hexdigest()
    return f"fragment:{digest}"


def _cached(parts: tuple, scopes: Iterable[str], build: Callable[[], str]) -> str:
    """The text under these key parts and the current generations of the scopes (and of
    ``all``), built and kept until the hour when missing; built every time without a shared
    cache."""
    if not settings.FRAGMENT_CACHE:
        return build()
    try:
        key = _key(*parts, scopes=sorted({*scopes, EVERYTHING}))
        value = cache.get(key)
    except redis_cache.UNREACHABLE as error:
        # Redis is down or failing over: built as without a cache, and nothing is written.
        # Only pages without anonymous content come here, so this changes nothing the
        # anonymity rule is about (docs/caching.md); every reader pays the same.
        redis_cache.unreachable(error)
        return build()
    redis_cache.reachable()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout=db_router.fragment_timeout(_timeout()))
        except redis_cache.UNREACHABLE as error:
            redis_cache.unreachable(error)
    return value


def text(name: str, build: Callable[[], str], *, scopes: Iterable[str], variant=()) -> str:
    """A text that is not a page fragment (a calendar feed, say), cached the same way: built
    once per state of its scopes' data, language and time zone. Nothing is filled in."""
    return _cached((name, repr(variant)), scopes, build)


def _render(request, template_name: str, context: dict, *, per_viewer: bool) -> str:
    context = {**context, "request": request, "csrf_token": CSRF, "_fragment": True}
    if per_viewer:
        context["user"] = request.user
    return get_template(template_name).render(context)


def render(
    request,
    template_name: str,
    context: dict | Callable[[], dict],
    *,
    scopes: Iterable[str] = (),
    variant=(),
    facts: Facts | None = None,
    per_viewer: bool = False,
    cached: bool = True,
) -> SafeString:
    """The fragment for this request, from the cache when its data has not changed.

    ``context`` may be a callable, called only when the fragment is rendered. A shared
    fragment's template sees ``request`` but no ``user``: what depends on the viewer goes in
    ``{% personal %}`` blocks, decided by ``facts`` (see ``fill``). ``cached=False`` renders
    without the cache (a form with errors, an htmx answer to a POST), through the same steps.
    """

    def build() -> str:
        data = context() if callable(context) else context
        return _render(request, template_name, data, per_viewer=per_viewer)

    parts = (
        template_name,
        request.get_full_path(),
        bool(getattr(request, "htmx", False)),
        repr(variant),
        request.user.pk if per_viewer else None,
    )
    html = _cached(parts, scopes, build) if cached else build()
    return fill(html, request, facts or {})


def personal(fact: str, key, yes: str, no: str = "") -> str:
    """``{% personal fact key %}yes{% otherwise %}no{% endpersonal %}``, for HTML built in
    Python (reflections/question_html.py, thought_html.py)."""
    opening = PERSONAL_OPEN.format(fact=fact, key="" if key is None else key)
    return f"{opening}{yes}{PERSONAL_ELSE}{no}{PERSONAL_END}"


def _page_parts(request, template_name: str, variant) -> tuple:
    return (template_name, request.get_full_path(), False, repr(variant), None)


def read_filled(
    request,
    template_name: str,
    context: Callable[[], dict],
    *,
    scopes: Iterable[str],
    variant=(),
    facts: Facts | None = None,
) -> SafeString:
    """A page that shows anonymous content, as its writers left it (``fill_for_writers``).

    The reader only reads: when no writer has filled this variant for the current generations
    (another language, a filter, a cursor page, an evicted key), the fragment is rendered for
    this request and not kept, and no generation is drawn. So what the cache holds after an
    anonymous act, and how fast anyone is served, never depends on who read first."""
    html = None
    if settings.FRAGMENT_CACHE and not getattr(request, "htmx", False):
        scopes = sorted({*scopes, EVERYTHING})
        try:
            key = _key(*_page_parts(request, template_name, variant), scopes=scopes, draw=False)
            packed = cache.get(key) if key else None
            html = zlib.decompress(packed).decode() if packed is not None else None
        except redis_cache.UNREACHABLE as error:
            redis_cache.unreachable(error)  # rendered for this reader, as for any other
    if html is None:
        html = _render(request, template_name, context(), per_viewer=False)
    return fill(html, request, facts or {})


def reader_request(path: str) -> HttpRequest:
    """A GET of ``path`` by no one in particular: what ``fill_for_writers`` renders for (a
    shared fragment's template sees no user)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.user = AnonymousUser()
    return request


def fill_for_writers(
    request, template_name: str, context: dict, *, scopes: Iterable[str], variant=()
) -> None:
    """The writer's side of ``read_filled``: render the fragment for the active language and
    time zone and keep it until the second UTC midnight (its time to live dates only the day).
    ``request`` stands for a reader of the page's path; its user is not shown."""
    if not enabled():
        return
    key = _key(*_page_parts(request, template_name, variant), scopes=sorted({*scopes, EVERYTHING}))
    html = _render(request, template_name, context, per_viewer=False)
    # Compressed: they are kept for every variant in use of many pages, read or not (a fifth
    # of the size; inflating one costs a few hundredths of a millisecond).
    cache.set(key, zlib.compress(html.encode(), 1), _day_timeout())


def fill(html: str, request, facts: Facts) -> SafeString:
    """The fragment for this viewer: each personal block's first part where the viewer's fact
    holds for its key, else its second part; the viewer's CSRF token in every form.

    A fact is a set of keys, or a callable given the keys the fragment asks about (as strings)
    and returning those that hold, so one query answers a whole page. ``me`` (the viewer's id)
    is always known."""
    if f"\x02{MARK}" not in html:
        return mark_safe(html)
    matches = list(_PERSONAL.finditer(html))
    if matches:
        asked: dict[str, set[str]] = {}
        for match in matches:
            asked.setdefault(match[1], set()).add(match[2])
        known = {"me": {str(request.user.pk)}}
        for fact, keys in asked.items():
            if fact in known:
                continue
            source = facts.get(fact)
            if source is None:
                raise KeyError(f"The fragment asks for the fact {fact!r}; the view gives none.")
            holds = source(keys) if callable(source) else source
            known[fact] = {str(key) for key in holds}
        # The matches found above, not a second search (_PERSONAL.sub): the same parts.
        parts, end = [], 0
        for match in matches:
            parts += (
                html[end : match.start()],
                match[3] if match[2] in known[match[1]] else match[4],
            )
            end = match.end()
        parts.append(html[end:])
        html = "".join(parts)
    if CSRF in html:
        html = html.replace(CSRF, get_token(request))
    return mark_safe(html)
