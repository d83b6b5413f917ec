"""The team agreement card: written by anyone in the team, shown on every session page."""

from django.urls import reverse

from reflections import services
from reflections.models import TeamAgreement


def test_a_member_writes_the_agreement_and_it_opens_the_session_page(client, member, past_session):
    client.force_login(member)
    response = client.post(
        reverse("reflections:agreement", args=[past_session.team_id]),
        {"text": "Unfinished is welcome.\nWe listen first."},
    )
    assert response.status_code == 302
    page = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    assert "Our agreement" in page
    assert "Unfinished is welcome.<br>We listen first." in page
    assert TeamAgreement.objects.get(team=past_session.team).updated_by == member


def test_the_last_edit_wins_and_the_page_says_who_changed_it(client, member, supervisor, team_a):
    services.agreement_save(team=team_a, user=member, text="First")
    services.agreement_save(team=team_a, user=supervisor, text="Second")
    client.force_login(member)
    body = client.get(reverse("reflections:agreement", args=[team_a.pk])).content.decode()
    assert "Second</textarea>" in body and "by Sue" in body
    assert TeamAgreement.objects.filter(team=team_a).count() == 1


def test_empty_or_too_long_agreement_is_refused_keeping_the_text(client, member, team_a):
    client.force_login(member)
    url = reverse("reflections:agreement", args=[team_a.pk])
    assert "Write at least one line" in client.post(url, {"text": "   "}).content.decode()
    body = client.post(url, {"text": "x" * 1501}).content.decode()
    assert "Keep it to 1500 characters" in body and "x" * 1501 in body
    assert not TeamAgreement.objects.exists()


def test_people_outside_the_team_cannot_read_or_change_it(client, other_member, team_a):
    client.force_login(other_member)
    url = reverse("reflections:agreement", args=[team_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hijack"}).status_code == 404
    assert not TeamAgreement.objects.exists()
