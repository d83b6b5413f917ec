"""One question of a list (the team's questions, a session page) as HTML, built in Python.

The questions list and the session page show anonymous content, so they are rendered on every
request and never cached (docs/caching.md); drawn through the template language a question
cost about 0.9 ms, most of a member's list. This builds the same markup as
templates/reflections/question_item.html, which stays the readable reference: a test renders
both for every kind of question and viewer and compares them
(tests/reflections/test_question_html.py). Change both together.

Every text is escaped with Django's `escape` (conditional_escape for safe strings); the
translations are the template's msgids."""

from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning_lead import fragments
from reflections import links as links_module

e = conditional_escape


def _day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _lines(text: str) -> str:
    """The `linebreaksbr` filter."""
    return str(e(text)).replace("\r\n", "\n").replace("\n", "<br>")


_personal = fragments.personal
_path = links_module.path


def render(question, *, is_supervisor: bool, show_session: bool, links: dict, next_path: str):
    """The `<li>` of one question; `links`: reflections.links.question_links()."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{fragments.CSRF}">'
    pk = question.pk
    short = e(Truncator(question.body).chars(60))
    hidden_note = f'<span class="visually-hidden">: {short}</span>'
    nxt = f'<input type="hidden" name="next" value="{e(next_path)}">'
    out = [
        f'<li class="question status-{e(question.status)}'
        f'{" is-hidden" if question.is_hidden else ""}" id="q-{pk}">'
    ]
    if question.is_hidden and not is_supervisor:
        reason = _("A supervisor hid this question. Reason: %(reason)s") % {
            "reason": e(question.hide_reason)
        }
        out.append(f'<p class="meta">{reason}</p>')
        out.append("</li>")
        return mark_safe("".join(out))  # noqa: S308 - every part escaped

    if question.author_id:
        who = e(str(question.author))
    elif question.author_left:
        who = e(_("former member"))
    else:
        who = e(_("Anonymous"))
    meta = [
        f"<strong>{who}</strong>",
        f'<time datetime="{question.asked_on:%Y-%m-%d}">{_day(question.asked_on)}</time>',
    ]
    if show_session and question.session:
        session = question.session
        starts = _day(timezone.localtime(session.starts_at))
        meta.append(
            f' · <a href="{_path(links, "session", question.session_id)}">'
            f"{e(session.title)} {starts}</a>"
        )
    meta.append(
        f'<span class="badge badge-{e(question.status)}">{e(question.get_status_display())}</span>'
    )
    if question.is_hidden:
        meta.append(f'<span class="badge badge-skipped">{e(_("Hidden"))}</span>')
    out.append(f'<p class="question-meta">{" ".join(meta)}</p>')
    if question.is_hidden:
        reason = _("Hidden from the team. Reason shown to them: %(reason)s") % {
            "reason": e(question.hide_reason)
        }
        out.append(f'<p class="meta">{reason}</p>')
    out.append(f'<div class="question-body">{_lines(question.body)}</div>')

    votes = question.vote_count
    wants = ngettext("%(votes)s wants to know", "%(votes)s want to know", votes) % {"votes": votes}
    voted = (
        f'<span class="meta">{e(_("You want to know too"))}</span>'
        f'<form class="inline" method="post" action="{_path(links, "upvote_withdraw", pk)}">'
        f"{csrf}{nxt}"
        f'<button type="submit" class="link-button">{e(_("Take it back"))}'
        f"{hidden_note}</button></form>"
    )
    upvote = ""
    if not question.is_hidden:
        upvote = (
            f'<form class="inline" method="post" action="{_path(links, "upvote", pk)}">'
            f"{csrf}{nxt}"
            f'<button type="submit" class="secondary">{e(_("I want to know too"))}'
            f"{hidden_note}</button></form>"
        )
    out.append(
        f'<div class="question-actions"><span class="votes">{wants}</span>'
        f"{_personal('voted', pk, voted, upvote)}</div>"
    )

    if question.author_id:
        if question.name_upward:
            own = (
                f'<span class="meta">'
                f"{e(_('If a supervisor forwards this to HR, your name goes with it.'))}</span>"
                '<input type="hidden" name="allowed" value="no">'
                f'<button type="submit" class="link-button">{e(_("Send it without my name"))}'
                f"{hidden_note}</button>"
            )
        else:
            own = (
                f'<span class="meta">'
                f"{e(_('If a supervisor forwards this to HR, it goes without your name.'))}</span>"
                '<input type="hidden" name="allowed" value="yes">'
                f'<button type="submit" class="link-button">{e(_("My name may go with it"))}'
                f"{hidden_note}</button>"
            )
        form = (
            f'<form class="inline" method="post" action="{_path(links, "name_upward", pk)}">'
            f"{csrf}{nxt}{own}</form>"
        )
        out.append(_personal("me", question.author_id, form))

    for answer in question.answer_list:
        name = e(str(answer.author) if answer.author else _("former member"))
        said = _("%(name)s answered") % {"name": name}
        out.append(
            f'<div class="answer"><p class="meta">{said}</p><div>{_lines(answer.body)}</div></div>'
        )
    forwards = question.forward_list
    for forward in forwards:
        sent = _("Forwarded to HR on %(day)s, strategy theme: %(theme)s") % {
            "day": _day(forward.forwarded_on),
            "theme": e(forward.theme.title),
        }
        part = [
            f'<div class="forwarded"><p class="meta"><span class="badge">{e(_("Forwarded"))}'
            f"</span> {sent}</p>"
        ]
        if forward.summary:
            part.append(
                f"<details><summary>{e(_("Sent up with the supervisor's summary"))}"
                f"{hidden_note}</summary><div>{_lines(forward.summary)}</div></details>"
            )
        if forward.is_answered:
            replied = _("%(role)s answered on %(day)s") % {
                "role": e(forward.get_answered_as_display()),
                "day": _day(forward.answered_on) if forward.answered_on else "",
            }
            part.append(
                f'<div class="answer"><p class="meta">{replied}</p>'
                f"<div>{_lines(forward.answer)}</div></div>"
            )
        part.append("</div>")
        out.append("".join(part))

    if is_supervisor:
        out.append(_moderation(question, forwards, links, csrf, nxt, hidden_note))
    elif not question.is_hidden:
        out.append(
            f"<details><summary>{e(_('Report'))}{hidden_note}</summary>"
            f'<form method="post" action="{_path(links, "report", pk)}" novalidate>{csrf}{nxt}'
            f'<div class="field"><label for="report-{pk}">'
            f"{e(_('What is wrong with it? Your report does not carry your name.'))}</label>"
            f'<input type="text" id="report-{pk}" name="reason" maxlength="300" required></div>'
            f'<button type="submit" class="secondary">{e(_("Send the report"))}</button>'
            "</form></details>"
        )
    out.append("</li>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped


def _moderation(question, forwards, links, csrf, nxt, hidden_note) -> str:
    pk = question.pk
    out = []
    if not question.is_hidden and not forwards:
        forward_path = links["forward"][0] + str(question.team_id) + links["forward"][1]
        out.append(
            f'<p><a href="{forward_path}?question={pk}">{e(_("Forward to HR"))}'
            f"{hidden_note}</a></p>"
        )
    out.append(
        f"<details><summary>{e(_('Answer'))}{hidden_note}</summary>"
        f'<form method="post" action="{_path(links, "answer", pk)}" novalidate>{csrf}{nxt}'
        f'<div class="field"><label for="answer-{pk}">{e(_("Your answer"))}</label>'
        f'<textarea id="answer-{pk}" name="body" rows="3" maxlength="2000"></textarea></div>'
        f'<button type="submit">{e(_("Post the answer"))}</button></form></details>'
    )
    if question.status == "open" or question.is_hidden:
        out.append('<div class="form-actions">')
        if question.status == "open":
            out.append(
                f'<form method="post" action="{_path(links, "mark_answered", pk)}">{csrf}{nxt}'
                f'<button type="submit" class="secondary">{e(_("Mark answered"))}'
                f"{hidden_note}</button></form>"
            )
        if question.is_hidden:
            out.append(
                f'<form method="post" action="{_path(links, "unhide", pk)}">{csrf}{nxt}'
                f'<button type="submit" class="secondary">{e(_("Show to the team again"))}'
                "</button></form>"
            )
        out.append("</div>")
    if not question.is_hidden:
        out.append(
            f"<details><summary>{e(_('Hide'))}{hidden_note}</summary>"
            f'<form method="post" action="{_path(links, "hide", pk)}" novalidate>{csrf}{nxt}'
            f'<div class="field"><label for="hide-{pk}">{e(_("Reason the team will see"))}'
            f'</label><input type="text" id="hide-{pk}" name="reason" maxlength="300" required>'
            f'</div><button type="submit" class="danger-button">{e(_("Hide the question"))}'
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
