"""Atmosphere: the anonymous safety pulse of a session.

PulseAnswered ("this person has answered for this session") and PulseValue (the values)
share no id, order or time; PulseValue references no person at all (docs/anonymity.md).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reflections.models.rhythm import Session


class PulseAnswered(models.Model):
    """That a person has answered the pulse of a session: no values, no time."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulse_answered")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_answered"
    )

    class Meta:
        verbose_name = _("pulse answer mark")
        verbose_name_plural = _("pulse answer marks")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="pulse_answered_once")
        ]


class PulseValue(models.Model):
    """One answer to one pulse statement: no person, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulse_values")
    statement = models.CharField(max_length=20)  # a key of reflections.pulse.PULSE_STATEMENTS
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("pulse value")
        verbose_name_plural = _("pulse values")
        indexes = [models.Index(fields=["session", "statement"], name="pulse_value_session")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="pulse_value_1_to_5"
            )
        ]


class PulseRelease(models.Model):
    """The pulse results of a session as a supervisor may see them, taken each time another
    full group (the threshold) has answered: re-reading after one more answer shows the same
    figures, so no single answer can be read off as the difference of two views."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulse_releases")
    answered = models.PositiveIntegerField()  # how many had answered when it was taken
    counts = models.JSONField()  # {statement: {value: number of answers}}

    class Meta:
        verbose_name = _("pulse release")
        verbose_name_plural = _("pulse releases")
        constraints = [
            models.UniqueConstraint(fields=["session", "answered"], name="pulse_release_once")
        ]
