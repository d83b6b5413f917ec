"""Writes for the bridge to leadership: a supervisor forwards team questions (one, or several
with a summary) tagged with a strategy theme; HR answers in a role; the answer goes back to
the team's questions.

Nothing here records or logs who asked: a forwarded item points at questions, and a question
points at its asker only when it was asked with a name. Named askers who asked to be told get
an in-app notification; anonymous askers are told by their own browser (see
reflections/answer_cookie.py and docs/anonymity.md)."""

from django.db import transaction

from learning_lead import fragments
from notifications import notice_services
from privacy import audit as privacy_audit
from privacy.models import AuditEvent
from reflections.models import ForwardedItem, Question
from reflections.services import team_today
from teams.models import StrategyTheme, Team, User

# From this many questions on, a forwarded item needs the supervisor's own summary.
SUMMARY_REQUIRED_FROM = 2


class ForwardRefused(ValueError):
    """The forwarding breaks a rule the form should have caught (the message says which)."""


def _sessions_of(questions) -> list[str]:
    return [fragments.session(q.session_id) for q in questions if q.session_id]


@transaction.atomic
def questions_forward(
    *,
    team: Team,
    questions: list[Question],
    theme: StrategyTheme,
    summary: str = "",
    forwarded_by: User,
    ip_address: str | None = None,
) -> ForwardedItem:
    """Sends one question, or several under the supervisor's summary, up to HR/leadership.

    A question goes up once: a second forward would show the team two waiting items."""
    if not questions:
        raise ForwardRefused("Choose at least one question.")
    if any(question.team_id != team.pk for question in questions):
        raise ForwardRefused("A question belongs to another team.")
    if any(question.is_hidden for question in questions):
        raise ForwardRefused("A hidden question cannot be forwarded.")
    if theme.organization_id != team.organization_id:
        raise ForwardRefused("The theme belongs to another organisation.")
    if len(questions) >= SUMMARY_REQUIRED_FROM and not summary.strip():
        raise ForwardRefused("Several questions need a summary.")
    ids = [question.pk for question in questions]
    # Lock the questions so two supervisors forwarding at once cannot both send one up.
    list(Question.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    if ForwardedItem.questions.through.objects.filter(question_id__in=ids).exists():
        raise ForwardRefused("A question has already been forwarded.")
    item = ForwardedItem.objects.create(
        team=team,
        theme=theme,
        summary=summary.strip(),
        forwarded_by=forwarded_by,
        forwarded_on=team_today(team),
    )
    item.questions.set(ids)
    # The list and the questions' session pages show what went up.
    fragments.changed(fragments.questions(team.pk), *_sessions_of(questions))
    notice_services.forward_notify_hr(team=team)
    privacy_audit.audit_record(
        organization=forwarded_by.organization_id,
        action=AuditEvent.Action.QUESTION_FORWARD,
        actor=forwarded_by,
        target=f"forwarded {item.pk}: {len(questions)} question(s)",
        ip_address=ip_address,
    )
    return item


@transaction.atomic
def forward_answer(
    *,
    item: ForwardedItem,
    body: str,
    answered_as: str,
    answered_by: User,
    ip_address: str | None = None,
) -> ForwardedItem:
    """HR's answer, given as a role; it is shown under each question the item carries, and
    the questions count as answered. Answering again corrects the text without a second
    notification."""
    item = ForwardedItem.objects.select_for_update().select_related("team").get(pk=item.pk)
    first = not item.is_answered
    item.answer = body.strip()
    item.answered_as = ForwardedItem.AnsweredAs(answered_as)
    item.answered_on = item.answered_on or team_today(item.team)
    item.save(update_fields=["answer", "answered_as", "answered_on"])
    questions = list(item.questions.all())
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(
        status=Question.Status.ANSWERED
    )
    fragments.changed(fragments.questions(item.team_id), *_sessions_of(questions))
    if first:
        for question in questions:
            notice_services.question_answered_notify(question=question)
    privacy_audit.audit_record(
        organization=answered_by.organization_id,
        action=AuditEvent.Action.FORWARD_ANSWER,
        actor=answered_by,
        target=f"forwarded {item.pk}",
        ip_address=ip_address,
    )
    return item
