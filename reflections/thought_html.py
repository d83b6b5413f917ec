"""One thought of a list (the team feed, a session page) with its replies, as HTML built in
Python.

The feed is the most requested page and the session page is rendered on every request (it
shows anonymous content, docs/caching.md); drawn through the template language a thought cost
about a millisecond (the include, its nested include for each of the viewer's own posts, a
`{% url %}` per link), most of either page with the cache off. This builds the same markup
as templates/reflections/thought_item.html and thought_own_actions.html, which stay the
readable reference: a test renders both for every kind of thought and viewer and compares
them (tests/reflections/test_thought_html.py). Change both together.

Every text is escaped as Django's `conditional_escape` escapes it; the translations are the
template's msgids; dates as the `date` filter gives them (in the current time zone), with
the formats split once a page (learning_lead.dates)."""

import html
import re

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from learning_lead import fragments
from learning_lead.dates import DateFormatter
from learning_lead.escape import e
from reflections import links as links_module
from reflections.models import Thought

_NEWLINES = re.compile(r"\r\n|\r")


def _lines(text: str) -> str:
    """`linebreaksbr` of a (not yet escaped) text: its newlines made one kind, the text
    escaped, each newline a `<br>`."""
    return html.escape(_NEWLINES.sub("\n", text)).replace("\n", "<br>")


_personal = fragments.personal
_path = links_module.path


def _when(value, page: "Page") -> str:
    """`<time>` as `|date:'c'` and `|date:"SHORT_DATETIME_FORMAT"` draw it."""
    local = timezone.localtime(value, page.zone)
    return f'<time datetime="{local.isoformat()}">{page.draw_datetime(local)}</time>'


class Page:
    """What every thought of one page shares: the paths (reflections.links.thought_links()),
    the translated words, and the page's own state (the feed's query, a reply with errors).
    Built once per page and language."""

    def __init__(
        self,
        *,
        links: dict,
        interactive: bool = False,
        show_session: bool = False,
        page_query: str = "",
        reply_to=None,
        reply_form=None,
    ):
        self.links = links
        self.interactive = interactive
        self.show_session = show_session
        self.query = f"?{e(page_query)}" if page_query else ""
        self.reply_to = reply_to
        self.reply_form = reply_form
        self.former = e(_("former member"))
        self.edited = f' <span class="meta">{e(_("(edited)"))}</span>'
        self.kinds = {value: e(label) for value, label in Thought.Kind.choices}
        confirm = (
            f' hx-post="{{path}}" hx-confirm="{e(_("Delete this post for good?"))}"'
            ' hx-target="#thoughts-region" hx-swap="innerHTML"'
            if interactive
            else ""
        )
        self.own = (
            '<div class="own-actions">\n'
            f'  <a href="{{edit}}" aria-label="{e(_("Edit your post"))}">{e(_("Edit"))}</a>\n'
            "  \n"
            f'  <a class="danger" href="{{path}}"{confirm}'
            f' aria-label="{e(_("Delete your post"))}">{e(_("Delete"))}</a>\n'
            "</div>\n"
        )
        self.replies_label = e(_("Replies"))
        self.reply = e(_("Reply"))
        self.reply_label = e(_("Your reply: build on the thought"))
        self.post_reply = e(_("Post the reply"))
        self.goal = _("Goal: %(goal)s")
        self.to = _("to the thought of %(name)s")
        self.zone = timezone.get_current_timezone()
        self.draw_datetime = DateFormatter("SHORT_DATETIME_FORMAT")
        self.draw_date = DateFormatter("SHORT_DATE_FORMAT")

    def own_actions(self, pk) -> str:
        return self.own.format(
            edit=_path(self.links, "edit", pk), path=_path(self.links, "delete", pk)
        )

    def author(self, thought) -> str:
        return e(str(thought.author)) if thought.author_id else self.former


def render(thought, page: Page) -> str:
    """The `<li>` of one thought and its replies."""
    pk = thought.pk
    author = page.author(thought)
    meta = [
        f'<span class="badge badge-kind">{page.kinds.get(thought.kind, e(thought.kind))}</span>'
        f" <strong>{author}</strong> {_when(thought.created_at, page)}"
    ]
    if thought.edited_at:
        meta.append(page.edited)
    if page.show_session and thought.session_id:
        session = thought.session
        day = page.draw_date(timezone.localtime(session.starts_at, page.zone))
        meta.append(
            f' · <a href="{_path(page.links, "session", thought.session_id)}">'
            f"{e(session.title)} {day}</a>"
        )
    if thought.team_goal_id and not thought.parent_id:
        goal = page.goal % {"goal": e(thought.team_goal.title)}
        meta.append(
            f' · <a href="{_path(page.links, "direction", thought.team_id)}'
            f'#goal-{thought.team_goal_id}" class="goal-link">{goal}</a>'
        )
    out = [
        f'<li class="thought kind-{e(thought.kind)}" id="thought-{pk}">\n'
        f'  <p class="thought-meta">{"".join(meta)}</p>\n'
        f'  <div class="thought-body">{_lines(thought.body)}</div>\n'
        f"  {_personal('me', thought.author_id, page.own_actions(pk))}\n  "
    ]
    # The whitespace is the template's, to the character (the test compares the strings).
    replies = thought.reply_list  # selectors.thoughts_with_replies
    if replies:
        out.append(f'\n  <ul class="replies" aria-label="{page.replies_label}">\n    ')
        for reply in replies:
            edited = page.edited if reply.edited_at else ""
            out.append(
                f'\n    <li id="thought-{reply.pk}">\n'
                f'      <p class="thought-meta"><strong>{page.author(reply)}</strong> '
                f"{_when(reply.created_at, page)}{edited}</p>\n"
                f'      <div class="thought-body">{_lines(reply.body)}</div>\n'
                f"      {_personal('me', reply.author_id, page.own_actions(reply.pk))}\n"
                "    </li>\n    "
            )
        out.append("\n  </ul>\n  ")
    out.append("\n  ")
    if page.interactive:
        out.append(_reply(thought, page, author))
    out.append("\n</li>\n")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped


def _reply(thought, page: Page, author: str) -> str:
    pk = thought.pk
    failed = page.reply_to == pk
    to = page.to % {"name": author}
    path = f"{_path(page.links, 'reply', pk)}{page.query}"
    value, errors, invalid = "", "", ""
    if failed:
        field = page.reply_form["body"]
        value = e("" if field.value() is None else field.value())
        items = "".join(f"<li>{e(error)}</li>" for error in field.errors)
        errors = f'<ul class="errorlist" id="reply-{pk}-error">{items}</ul>'
        invalid = f' aria-invalid="true" aria-describedby="reply-{pk}-error"'
    return (
        f'\n  <details class="reply"{" open" if failed else ""}>\n'
        f'    <summary>{page.reply}<span class="visually-hidden"> {to}</span></summary>\n'
        f'    <form method="post" action="{path}" hx-post="{path}" hx-target="#thoughts-region"'
        ' hx-swap="innerHTML" novalidate>\n'
        f'      <input type="hidden" name="csrfmiddlewaretoken" value="{fragments.CSRF}">\n'
        f'      <div class="field{" field-invalid" if failed else ""}">\n'
        f'        <label for="reply-{pk}">{page.reply_label}</label>\n'
        f'        <textarea id="reply-{pk}" name="body" rows="2" maxlength="2000"{invalid}>'
        f"{value}</textarea>\n"
        f"        {errors}\n"
        "      </div>\n"
        f'      <button type="submit">{page.post_reply}</button>\n'
        "    </form>\n"
        "  </details>\n  "
    )
