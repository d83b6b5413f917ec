"""Moderation services keep their rules and audit the moderator and the question's id only."""

import pytest

from privacy.models import AuditEvent
from reflections import services
from reflections.models import Vote

pytestmark = pytest.mark.django_db


def test_hiding_and_showing_again_are_audited_without_an_author(supervisor, member, team_a):
    question = services.question_ask(team=team_a, body="Why?", named_author=member)
    services.question_hide(
        question=question, reason="Off topic", moderator=supervisor, ip_address="10.0.0.3"
    )
    services.question_unhide(question=question, moderator=supervisor)
    rows = AuditEvent.objects.order_by("pk").values_list(
        "action", "actor_id", "subject_id", "target", "ip_address"
    )
    target = f"question {question.pk}"
    assert list(rows) == [
        ("question_hide", supervisor.pk, None, target, "10.0.0.3"),
        ("question_unhide", supervisor.pk, None, target, None),
    ]


def test_a_hidden_question_cannot_be_upvoted(supervisor, member, team_a):
    question = services.question_ask(team=team_a, body="Why?")
    services.question_hide(question=question, reason="Names a colleague", moderator=supervisor)
    with pytest.raises(services.QuestionHidden):
        services.question_upvote(question=question, user=member)
    assert not Vote.objects.exists()
