"""One question of a list (the team's questions, a session page) as HTML, built in Python.

The questions list and the session page show anonymous content, so they are rendered on every
request and never cached (docs/caching.md); drawn through the template language a question
cost about 0.9 ms, most of a member's list. This builds the same markup as
templates/reflections/question_item.html, which stays the readable reference: a test renders
both for every kind of question and viewer and compares them
(tests/reflections/test_question_html.py). Change both together.

Every text is escaped as Django's `conditional_escape` escapes it; the translations are the
template's msgids."""

from datetime import date, datetime

from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from learning_lead import fragments
from learning_lead.escape import e
from reflections import links as links_module
from reflections.models import Question

_personal = fragments.personal
_path = links_module.path


class Page:
    """What every question of one page shares: whether the viewer moderates, the paths
    (reflections.links.question_links()), where actions return, the translated words and the
    days as shown. Built once per page, in its language and time zone: translating each word
    for each question was a third of a question's cost."""

    def __init__(self, *, is_supervisor: bool, show_session: bool, links: dict, next_path: str):
        self.is_supervisor = is_supervisor
        self.show_session = show_session
        self.links = links
        csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{fragments.CSRF}">'
        # Every action form's hidden fields: the token, and the page to come back to.
        self.fields = f'{csrf}<input type="hidden" name="next" value="{e(next_path)}">'
        self.hid = _("A supervisor hid this question. Reason: %(reason)s")
        self.hidden_from = _("Hidden from the team. Reason shown to them: %(reason)s")
        self.former = e(_("former member"))
        self.anonymous = e(_("Anonymous"))
        self.statuses = {value: e(label) for value, label in Question.Status.choices}
        self.hidden = e(_("Hidden"))
        self.want_too = e(_("You want to know too"))
        self.take_back = e(_("Take it back"))
        self.upvote = e(_("I want to know too"))
        self.goes_with = e(_("If a supervisor forwards this to HR, your name goes with it."))
        self.goes_without = e(_("If a supervisor forwards this to HR, it goes without your name."))
        self.send_without = e(_("Send it without my name"))
        self.may_go = e(_("My name may go with it"))
        self.answered = _("%(name)s answered")
        self.forwarded_on = _("Forwarded to HR on %(day)s, strategy theme: %(theme)s")
        self.forwarded = e(_("Forwarded"))
        self.summary = e(_("Sent up with the supervisor's summary"))
        self.replied = _("%(role)s answered on %(day)s")
        self.report = e(_("Report"))
        self.report_label = e(_("What is wrong with it? Your report does not carry your name."))
        self.send_report = e(_("Send the report"))
        self.moderation = _ModerationWords() if is_supervisor else None
        # `|truncatechars:60` as Django works it out (django.utils.text.Truncator), once per
        # page for the plain text most questions are.
        self._ellipsis = pgettext("String to return when truncating text", "%(truncated_text)s…")
        self._keep = calculate_truncate_chars_length(60, self._ellipsis)
        self.language = translation.get_language()
        self._wants: dict[int, str] = {}
        # Each day once per page (every question shows one or more), never across requests: a
        # memo a reader fills could make the next reader's page faster (docs/caching.md).
        self._days: dict[date, str] = {}

    def day(self, value) -> str:
        """A date as `|date:"SHORT_DATE_FORMAT"` shows it (a datetime in the current time
        zone)."""
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()  # the format shows the day only
        shown = self._days.get(value)
        if shown is None:
            shown = self._days[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return shown

    def short(self, text: str) -> str:
        """`text|truncatechars:60`."""
        if not text.isascii():  # combining characters, or text to normalise
            return Truncator(text).chars(60, truncate=self._ellipsis)
        if len(text) <= 60:
            return text
        return add_truncation_text(text[: self._keep], self._ellipsis)

    def wants(self, votes: int) -> str:
        shown = self._wants.get(votes)
        if shown is None:
            shown = self._wants[votes] = ngettext(
                "%(votes)s wants to know", "%(votes)s want to know", votes
            ) % {"votes": votes}
        return shown


def _lines(text: str) -> str:
    """The `linebreaksbr` filter."""
    return str(e(text)).replace("\r\n", "\n").replace("\n", "<br>")


def render(question, page: Page):
    """The `<li>` of one question."""
    links, fields = page.links, page.fields
    pk = question.pk
    short = e(page.short(question.body))
    hidden_note = f'<span class="visually-hidden">: {short}</span>'
    out = [
        f'<li class="question status-{e(question.status)}'
        f'{" is-hidden" if question.is_hidden else ""}" id="q-{pk}">'
    ]
    if question.is_hidden and not page.is_supervisor:
        reason = page.hid % {"reason": e(question.hide_reason)}
        out.append(f'<p class="meta">{reason}</p>')
        out.append("</li>")
        return mark_safe("".join(out))  # noqa: S308 - every part escaped

    if question.author_id:
        who = e(str(question.author))
    elif question.author_left:
        who = page.former
    else:
        who = page.anonymous
    meta = [
        f"<strong>{who}</strong>",
        f'<time datetime="{question.asked_on:%Y-%m-%d}">{page.day(question.asked_on)}</time>',
    ]
    if page.show_session and question.session:
        session = question.session
        meta.append(
            f' · <a href="{_path(links, "session", question.session_id)}">'
            f"{e(session.title)} {page.day(session.starts_at)}</a>"
        )
    status = page.statuses.get(question.status) or e(question.status)
    meta.append(f'<span class="badge badge-{e(question.status)}">{status}</span>')
    if question.is_hidden:
        meta.append(f'<span class="badge badge-skipped">{page.hidden}</span>')
    out.append(f'<p class="question-meta">{" ".join(meta)}</p>')
    if question.is_hidden:
        reason = page.hidden_from % {"reason": e(question.hide_reason)}
        out.append(f'<p class="meta">{reason}</p>')
    out.append(f'<div class="question-body">{_lines(question.body)}</div>')

    voted = (
        f'<span class="meta">{page.want_too}</span>'
        f'<form class="inline" method="post" action="{_path(links, "upvote_withdraw", pk)}">'
        f"{fields}"
        f'<button type="submit" class="link-button">{page.take_back}'
        f"{hidden_note}</button></form>"
    )
    upvote = ""
    if not question.is_hidden:
        upvote = (
            f'<form class="inline" method="post" action="{_path(links, "upvote", pk)}">'
            f"{fields}"
            f'<button type="submit" class="secondary">{page.upvote}'
            f"{hidden_note}</button></form>"
        )
    out.append(
        f'<div class="question-actions"><span class="votes">{page.wants(question.vote_count)}'
        f"</span>{_personal('voted', pk, voted, upvote)}</div>"
    )

    if question.author_id:
        if question.name_upward:
            own = (
                f'<span class="meta">{page.goes_with}</span>'
                '<input type="hidden" name="allowed" value="no">'
                f'<button type="submit" class="link-button">{page.send_without}'
                f"{hidden_note}</button>"
            )
        else:
            own = (
                f'<span class="meta">{page.goes_without}</span>'
                '<input type="hidden" name="allowed" value="yes">'
                f'<button type="submit" class="link-button">{page.may_go}'
                f"{hidden_note}</button>"
            )
        form = (
            f'<form class="inline" method="post" action="{_path(links, "name_upward", pk)}">'
            f"{fields}{own}</form>"
        )
        out.append(_personal("me", question.author_id, form))

    for answer in question.answer_list:
        name = e(str(answer.author)) if answer.author else page.former
        said = page.answered % {"name": name}
        out.append(
            f'<div class="answer"><p class="meta">{said}</p><div>{_lines(answer.body)}</div></div>'
        )
    forwards = question.forward_list
    for forward in forwards:
        sent = page.forwarded_on % {
            "day": page.day(forward.forwarded_on),
            "theme": e(forward.theme.title),
        }
        part = [
            f'<div class="forwarded"><p class="meta"><span class="badge">{page.forwarded}'
            f"</span> {sent}</p>"
        ]
        if forward.summary:
            part.append(
                f"<details><summary>{page.summary}"
                f"{hidden_note}</summary><div>{_lines(forward.summary)}</div></details>"
            )
        if forward.is_answered:
            replied = page.replied % {
                "role": e(forward.get_answered_as_display()),
                "day": page.day(forward.answered_on) if forward.answered_on else "",
            }
            part.append(
                f'<div class="answer"><p class="meta">{replied}</p>'
                f"<div>{_lines(forward.answer)}</div></div>"
            )
        part.append("</div>")
        out.append("".join(part))

    if page.is_supervisor:
        out.append(_moderation(question, forwards, page, hidden_note))
    elif not question.is_hidden:
        out.append(
            f"<details><summary>{page.report}{hidden_note}</summary>"
            f'<form method="post" action="{_path(links, "report", pk)}" novalidate>{fields}'
            f'<div class="field"><label for="report-{pk}">{page.report_label}</label>'
            f'<input type="text" id="report-{pk}" name="reason" maxlength="300" required></div>'
            f'<button type="submit" class="secondary">{page.send_report}</button>'
            "</form></details>"
        )
    out.append("</li>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped


def _moderation(question, forwards, page: Page, hidden_note: str) -> str:
    links, fields, words = page.links, page.fields, page.moderation
    pk = question.pk
    out = []
    if not question.is_hidden and not forwards:
        forward_path = links["forward"][0] + str(question.team_id) + links["forward"][1]
        out.append(
            f'<p><a href="{forward_path}?question={pk}">{words.forward}{hidden_note}</a></p>'
        )
    out.append(
        f"<details><summary>{words.answer}{hidden_note}</summary>"
        f'<form method="post" action="{_path(links, "answer", pk)}" novalidate>{fields}'
        f'<div class="field"><label for="answer-{pk}">{words.your_answer}</label>'
        f'<textarea id="answer-{pk}" name="body" rows="3" maxlength="2000"></textarea></div>'
        f'<button type="submit">{words.post_answer}</button></form></details>'
    )
    if question.status == "open" or question.is_hidden:
        out.append('<div class="form-actions">')
        if question.status == "open":
            out.append(
                f'<form method="post" action="{_path(links, "mark_answered", pk)}">{fields}'
                f'<button type="submit" class="secondary">{words.mark_answered}'
                f"{hidden_note}</button></form>"
            )
        if question.is_hidden:
            out.append(
                f'<form method="post" action="{_path(links, "unhide", pk)}">{fields}'
                f'<button type="submit" class="secondary">{words.unhide}</button></form>'
            )
        out.append("</div>")
    if not question.is_hidden:
        out.append(
            f"<details><summary>{words.hide}{hidden_note}</summary>"
            f'<form method="post" action="{_path(links, "hide", pk)}" novalidate>{fields}'
            f'<div class="field"><label for="hide-{pk}">{words.hide_reason}'
            f'</label><input type="text" id="hide-{pk}" name="reason" maxlength="300" required>'
            f'</div><button type="submit" class="danger-button">{words.hide_question}'
            "</button></form></details>"
        )
    reports = question.report_list
    if reports:
        said = ngettext("Reported once:", "Reported %(count)s times:", len(reports)) % {
            "count": len(reports)
        }
        items = "".join(f"<li>{e(report.reason)}</li>" for report in reports)
        out.append(f'<div class="reports"><p class="meta">{said}</p><ul>{items}</ul></div>')
    return "".join(out)


class _ModerationWords:
    """A supervisor's words on each question."""

    def __init__(self):
        self.forward = e(_("Forward to HR"))
        self.answer = e(_("Answer"))
        self.your_answer = e(_("Your answer"))
        self.post_answer = e(_("Post the answer"))
        self.mark_answered = e(_("Mark answered"))
        self.unhide = e(_("Show to the team again"))
        self.hide = e(_("Hide"))
        self.hide_reason = e(_("Reason the team will see"))
        self.hide_question = e(_("Hide the question"))
