"""The paths of a question's actions, reversed once per page rather than once per question
and action: the questions list and the session page are rendered on every request
(docs/caching.md), and reversing was a good part of each question's cost."""

import functools
import uuid

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_QUESTION = uuid.UUID(int=0)
_SESSION = 987654321
ACTIONS = (
    "upvote",
    "upvote_withdraw",
    "report",
    "name_upward",
    "answer",
    "mark_answered",
    "hide",
    "unhide",
)


def _split(path: str, marker) -> tuple[str, str]:
    head, tail = path.split(str(marker))
    return head, tail


def path(links: dict, action: str, value) -> str:
    """The path of `action` on the object `value`, from one of the dicts below."""
    head, tail = links[action]
    return f"{head}{value}{tail}"


def question_links() -> dict[str, tuple[str, str]]:
    """Each action's path around the question's id (see the `link` filter), the session
    page's around the session's and the forwarding page's around the team's. Reversed once
    per process and URL prefix: they never change while it runs (read them, don't change
    them)."""
    return _question_links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _question_links(prefix: str, urlconf) -> dict[str, tuple[str, str]]:
    links = {
        name: _split(reverse(f"reflections:question_{name}", args=[_QUESTION]), _QUESTION)
        for name in ACTIONS
    }
    links["session"] = _split(reverse("reflections:session", args=[_SESSION]), _SESSION)
    links["forward"] = _split(reverse("reflections:question_forward", args=[_SESSION]), _SESSION)
    return links


def thought_links() -> dict[str, tuple[str, str]]:
    """A thought's paths (reflections/thought_html.py): its edit, delete and reply actions
    around the thought's id, the session page's around the session's and the direction
    view's around the team's. Reversed once per process and URL prefix, as question_links."""
    return _thought_links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _thought_links(prefix: str, urlconf) -> dict[str, tuple[str, str]]:
    links = {
        name: _split(reverse(f"reflections:thought_{name}", args=[_SESSION]), _SESSION)
        for name in ("edit", "delete", "reply")
    }
    links["session"] = _split(reverse("reflections:session", args=[_SESSION]), _SESSION)
    links["direction"] = _split(reverse("reflections:team_direction", args=[_SESSION]), _SESSION)
    return links


def feed_links() -> dict[str, tuple[str, str]]:
    """The team feed's own paths around the team's id: the team page, its questions, the feed
    and posting to it. Reversed once per process and URL prefix, as question_links."""
    return _feed_links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _feed_links(prefix: str, urlconf) -> dict[str, tuple[str, str]]:
    names = {
        "team": "teams:detail",
        "questions": "reflections:team_questions",
        "feed": "reflections:team_feed",
        "post": "reflections:thought_post",
    }
    return {key: _split(reverse(name, args=[_SESSION]), _SESSION) for key, name in names.items()}


def team_paths(links: dict, team_id: int) -> dict[str, str]:
    """Each of `links`' paths for the team `team_id`."""
    return {key: path(links, key, team_id) for key in links}
