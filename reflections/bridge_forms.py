"""Forms of the bridge to leadership: forwarding team questions, answering them as HR.
Validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from learning_lead.text import CleanTextMixin
from reflections.bridge_selectors import forwardable_questions, themes_to_tag
from reflections.bridge_services import SUMMARY_REQUIRED_FROM
from reflections.forms import text_field
from reflections.models import ForwardedItem
from reflections.models.bridge import SUMMARY_MAX_LENGTH
from reflections.models.questions import ANSWER_MAX_LENGTH


class QuestionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, question) -> str:
        return question.body


class ForwardForm(CleanTextMixin, forms.Form):
    questions = QuestionChoices(
        label=_("Questions to forward"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one question to forward."),
            "invalid_choice": _(
                "A question you chose can no longer be forwarded (hidden or already "
                "forwarded). Choose again."
            ),
            "invalid_pk_value": _("Choose questions from the list."),
        },
    )
    theme = forms.ModelChoiceField(
        label=_("Strategy theme"),
        queryset=None,
        empty_label=None,
        help_text=_("HR sees forwarded questions grouped by the organisation's themes."),
        error_messages={"required": _("Choose the strategy theme the questions relate to.")},
    )
    summary = text_field(
        label=_("Your summary"),
        max_length=SUMMARY_MAX_LENGTH,
        empty="",
        required=False,
        help_text=_(
            "Needed when you forward several questions: say in your own words what the team "
            "is asking. Optional for a single question."
        ),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = forwardable_questions(team)
        self.fields["theme"].queryset = themes_to_tag(team)

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("questions") or []
        if len(chosen) >= SUMMARY_REQUIRED_FROM and not cleaned.get("summary", "").strip():
            self.add_error(
                "summary", _("Write a summary: you chose several questions to forward together.")
            )
        return cleaned


class ForwardAnswerForm(CleanTextMixin, forms.Form):
    body = text_field(
        label=_("Answer to the team"),
        max_length=ANSWER_MAX_LENGTH,
        empty=_("Write the answer first."),
        rows=4,
        help_text=_("The team sees it under the questions, signed with the role you choose."),
    )
    answered_as = forms.ChoiceField(
        label=_("Answer as"),
        choices=ForwardedItem.AnsweredAs.choices,
        initial=ForwardedItem.AnsweredAs.HR,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether HR or leadership answers.")},
    )
