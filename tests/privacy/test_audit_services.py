"""Services that change a person's data or the organisation's privacy settings write their audit
row themselves, inside their transaction: the same action, subject and target the views
recorded before."""

import pytest

from privacy import services
from privacy.models import AuditEvent
from reflections import bridge_services
from reflections import services as reflections
from teams import direction_services

pytestmark = pytest.mark.django_db


def events() -> list[tuple]:
    rows = AuditEvent.objects.order_by("pk")
    return list(rows.values_list("action", "actor_id", "subject_id", "target", "ip_address"))


def test_requesting_and_cancelling_a_deletion_are_audited(leaver):
    services.account_deletion_request(user=leaver, ip_address="10.0.0.4")
    assert services.account_deletion_cancel(user=leaver)
    assert not services.account_deletion_cancel(user=leaver)  # nothing pending: no row
    assert events() == [
        ("deletion_request", leaver.pk, leaver.pk, "", "10.0.0.4"),
        ("deletion_cancel", leaver.pk, leaver.pk, "", None),
    ]


def test_a_retention_change_is_audited_with_before_and_after(admin, acme):
    services.organization_retention_set(organization=acme, retention_months=6, actor=admin)
    before = 6
    services.organization_retention_set(organization=acme, retention_months=12, actor=admin)
    assert events()[-1] == (
        "retention_change",
        admin.pk,
        None,
        f"retention_months {before} -> 12",
        None,
    )


def test_forwarding_and_answering_are_audited_by_the_items_id(acme, supervisor, hr, team_a):
    theme = direction_services.theme_create(organization=acme, title="Quality")
    question = reflections.question_ask(team=team_a, body="Why?")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    bridge_services.forward_answer(item=item, body="Because", answered_as="hr", answered_by=hr)
    assert events() == [
        ("question_forward", supervisor.pk, None, f"forwarded {item.pk}: questions=1", None),
        ("forward_answer", hr.pk, None, f"forwarded {item.pk}", None),
    ]
