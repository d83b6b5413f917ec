"""Cached page fragments: a page's main content rendered once per state of the data it shows.

The layout around a fragment (navigation, messages, the CSP nonce) is rendered per request as
before; the fragment is what costs: lists of thoughts, questions, goals and their forms.

- **Scopes and generations.** A fragment names the scopes it reads: ``team:7`` (a team's
  sessions, goals, agreement, members and their names), ``thoughts:7`` (its thoughts),
  ``goal-thoughts:7`` (those on a team goal), ``session:3`` (what is posted about one
  session), ``anonymous:7`` (its questions, votes, reports, forwards: what anonymous actions
  change), ``org:1``, ``people:1`` (who is in which team), ``goals:1`` (the organisation's
  goals, counted live in HR's report), ``user:42``; every fragment also reads ``all``. Each
  scope has a generation: a random token in the cache. A change to a scope's data forgets its
  token (``changed``), at once and again when the transaction commits, so the next reader
  draws a new token and renders afresh. Tokens are random, so a forgotten or evicted token can
  never bring an old fragment back. Rows a view reads before the generations (the team or
  session its access check loads) put their version in the key (``variant``).
- **Shared, not per person.** The key holds the template, the page's path and query string,
  language, time zone, the generations and a variant the view names (for example whether the
  viewer leads the team), not who rendered it. What differs per person is marked in the
  template with ``{% personal FACT KEY %}...{% otherwise %}...{% endpersonal %}`` and chosen per
  request from the viewer's facts (``fill``); the CSRF token is filled in per request too.
  A per-person fragment (``per_viewer=True``) may not read an ``anonymous:`` scope: a key made
  right after an anonymous question would record who looked first (docs/anonymity.md).
- **Only with a shared cache** (``FRAGMENT_CACHE``, on with Redis): a per-process memory cache
  would not hear of changes made in other processes, so without Redis every page is rendered.
- **Expiry on the hour.** A fragment lives until the next full hour plus one, so its time to
  live says nothing about when it was made.
"""

import functools
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

GENERATION = "fragment-gen:"
GENERATION_TIMEOUT = 30 * 24 * 3600  # random tokens: a token that expired is simply drawn anew
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
    """A team's thoughts and replies (the feed)."""
    return f"thoughts:{team_id}"


def goal_thoughts(team_id) -> str:
    """A team's thoughts on its team goals (the direction view, my learning)."""
    return f"goal-thoughts:{team_id}"


def session(session_id) -> str:
    """What is posted about one session (its page)."""
    return f"session:{session_id}"


def anonymous(team_id) -> str:
    return f"anonymous:{team_id}"


def org(org_id) -> str:
    return f"org:{org_id}"


def user(user_id) -> str:
    return f"user:{user_id}"


def goals(org_id) -> str:
    """The organisation's goals as counted now (HR's report)."""
    return f"goals:{org_id}"


def people(org_id) -> str:
    """Who is in which team of the organisation (team sizes in HR's report)."""
    return f"people:{org_id}"


def changed(*scopes: str) -> None:
    """The data of these scopes changed: their fragments are rendered afresh from now on."""
    keys = [GENERATION + scope for scope in scopes if scope]
    if not keys:
        return
    cache.delete_many(keys)
    # Again after commit: a reader between the first forget and the commit saw old rows.
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def changed_everything() -> None:
    changed(EVERYTHING)


_local = threading.local()


@contextmanager
def bulk():
    """For work that changes many rows at once (retention, account deletion, demo data): the
    per-row signals do nothing inside, and every fragment is rendered afresh after."""
    _local.bulk = getattr(_local, "bulk", 0) + 1
    try:
        yield
    finally:
        _local.bulk -= 1
        changed_everything()


def in_bulk() -> bool:
    return getattr(_local, "bulk", 0) > 0


def hour() -> int:
    """A variant for fragments that depend on the time (a window of sessions around now): the
    fragment is rendered afresh at least every hour."""
    return int(time.time()) // 3600


def _generations(scopes: list[str]) -> list[str]:
    keys = [GENERATION + scope for scope in scopes]
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(key, token, timeout=GENERATION_TIMEOUT):
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


def _key(*parts, scopes: list[str]) -> str:
    parts = (
        _build(),
        *parts,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        *scopes,
        *_generations(scopes),
    )
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=20).hexdigest()
    return f"fragment:{digest}"


def _cached(parts: tuple, scopes: Iterable[str], build: Callable[[], str]) -> str:
    """The text under these key parts and the current generations of the scopes (and of
    ``all``), built and kept until the hour when missing; built every time without a shared
    cache."""
    if not settings.FRAGMENT_CACHE:
        return build()
    key = _key(*parts, scopes=sorted({*scopes, EVERYTHING}))
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=_timeout())
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
    scopes = list(scopes)
    if per_viewer and any(scope.startswith("anonymous:") for scope in scopes):
        raise ValueError("A per-person fragment may not read anonymous content.")

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
        html = _PERSONAL.sub(lambda m: m[3] if m[2] in known[m[1]] else m[4], html)
    if CSRF in html:
        html = html.replace(CSRF, get_token(request))
    return mark_safe(html)
