"""Connecting and changing a chat channel. The webhook URL is checked against the provider's
hosts (chat.webhooks) and never shown again once saved."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chat import crypto, webhooks
from chat.models import ChatDestination
from learning_lead.text import CleanTextMixin

WANTS = ["send_reminders", "send_nudges", "send_questions", "send_answers", "send_lapses"]


class WebhookField(forms.CharField):
    """A webhook address: text with a format of its own, checked by the form against the
    chosen provider's hosts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", webhooks.MAX_URL_LENGTH)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)


class _ChannelForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Channel name"),
        max_length=80,
        help_text=_("For you to recognise it, for example “#team-learning”."),
    )
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)
    send_reminders = forms.BooleanField(
        label=_("Before each session: time, place and prompts"), required=False, initial=True
    )
    send_nudges = forms.BooleanField(
        label=_("After each session: a nudge to add a reflection"), required=False, initial=True
    )
    send_questions = forms.BooleanField(
        label=_("New questions are waiting (a daily count, never the questions)"),
        required=False,
        initial=True,
    )
    send_answers = forms.BooleanField(
        label=_("HR answered questions the team forwarded"), required=False, initial=True
    )
    send_lapses = forms.BooleanField(
        label=_("The team's reflection rhythm has paused"), required=False
    )

    def _check_url(self, kind: str, url: str) -> str:
        problem = webhooks.check_url(kind, url)
        if problem:
            raise forms.ValidationError(problem)
        return url.strip()


class DestinationAddForm(_ChannelForm):
    kind = forms.ChoiceField(
        label=_("Service"), choices=ChatDestination.Kind.choices, widget=forms.RadioSelect
    )
    url = WebhookField(
        label=_("Webhook address"),
        help_text=_(
            "In Microsoft Teams, create a workflow “Post to a channel when a webhook request "
            "is received” and copy its address. In Slack, add an incoming webhook to the "
            "channel. The address is stored encrypted and not shown again."
        ),
    )
    field_order = ["kind", "name", "url", "language", *WANTS]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("url"):
            try:
                cleaned["url"] = self._check_url(cleaned["kind"], cleaned["url"])
            except forms.ValidationError as error:
                self.add_error("url", error)
        return cleaned


class DestinationEditForm(_ChannelForm):
    url = WebhookField(
        label=_("New webhook address"),
        required=False,
        help_text=_("Leave empty to keep the current address."),
    )
    enabled = forms.BooleanField(label=_("Switched on"), required=False)

    def __init__(self, *args, destination: ChatDestination, **kwargs):
        super().__init__(*args, **kwargs)
        self.destination = destination

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if url and not crypto.configured():
            raise forms.ValidationError(_("Chat channels are not set up on this server yet."))
        return self._check_url(self.destination.kind, url) if url else ""
