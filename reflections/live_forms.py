"""Forms of the live session: a card, the hand-over, the timer's extension, the votes per
person and "was it safe to speak today?"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from learning_lead.text import CleanTextMixin
from reflections.live_services import (
    MAX_EXTEND_MINUTES,
    MAX_VOTE_BUDGET,
    MIN_VOTE_BUDGET,
    TOPIC_MINUTES,
)
from reflections.models.live import (
    CARD_MAX_LENGTH,
    DEFAULT_VOTE_BUDGET,
    GROUP_NAME_MAX_LENGTH,
    NEXT_STEP_MAX_LENGTH,
    LiveSafetyValue,
)
from teams.models import User


class LiveCardForm(CleanTextMixin, forms.Form):
    prompt = forms.TypedChoiceField(label=_("Prompt"), coerce=int, required=False, empty_value=None)
    body = forms.CharField(
        label=_("Your card"),
        max_length=CARD_MAX_LENGTH,
        # Kept as typed while the poll redraws the live part around it.
        widget=forms.Textarea(attrs={"rows": 3, "id": "live-card-body", "hx-preserve": "true"}),
        help_text=_("Hidden from everyone until the facilitator reveals the cards."),
    )
    named = forms.BooleanField(
        label=_("Show my name with the card"),
        required=False,
        help_text=_(
            "Without it the card is stored without your name: nobody can tell it is yours."
        ),
    )

    def __init__(self, *args, prompts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prompts = {prompt.pk: prompt for prompt in prompts}
        choices = [(pk, prompt.text) for pk, prompt in self.prompts.items()]
        self.fields["prompt"].choices = [("", _("No particular prompt")), *choices]

    def clean_prompt(self):
        value = self.cleaned_data["prompt"]
        return self.prompts.get(value) if value is not None else None


class LiveExtendForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=MAX_EXTEND_MINUTES, initial=2
    )


class LiveHandOverForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=User.objects.none(), empty_label=_("Choose a person")
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["to"].queryset = members


class LiveVoteBudgetForm(forms.Form):
    votes = forms.IntegerField(
        label=_("Votes per person"),
        min_value=MIN_VOTE_BUDGET,
        max_value=MAX_VOTE_BUDGET,
        initial=DEFAULT_VOTE_BUDGET,
        help_text=_("From 1 to 10. Everyone has the same number of votes."),
    )


class LiveSafetyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Was it safe to speak today?"),
        choices=LiveSafetyValue.Answer.choices,
        widget=forms.RadioSelect,
        help_text=_("Anonymous: stored without your name or the time."),
    )


class LiveGroupForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=GROUP_NAME_MAX_LENGTH)


class LiveTopicTimerForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes for this topic"),
        min_value=1,
        max_value=MAX_EXTEND_MINUTES,
        initial=TOPIC_MINUTES,
    )


class LiveNextStepForm(CleanTextMixin, forms.Form):
    next_step = forms.CharField(
        label=_("Next step"), max_length=NEXT_STEP_MAX_LENGTH, required=False
    )
