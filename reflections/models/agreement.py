"""The team agreement card: how the team wants its reflection sessions to be, written and
kept by the team itself, shown at the start of every session page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.models import Team

AGREEMENT_MAX_LENGTH = 1500


class TeamAgreement(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField(_("our agreement"), max_length=AGREEMENT_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("team agreement")
        verbose_name_plural = _("team agreements")

    def __str__(self) -> str:
        return self.text[:60]
