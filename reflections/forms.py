"""Forms for rhythms, sessions, attendance, prompts, thoughts, questions and the pulse:
validation only."""

import zoneinfo
from datetime import date, datetime, timedelta

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning_lead.text import CleanTextMixin
from reflections import recurrence
from reflections.models import PromptTemplate, Rhythm, Thought
from reflections.models.agreement import AGREEMENT_MAX_LENGTH
from reflections.models.questions import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH, REASON_MAX_LENGTH
from reflections.models.thoughts import THOUGHT_MAX_LENGTH
from reflections.prompts import BUILTIN_PROMPTS, DEFAULT_PROMPT_KEYS
from reflections.pulse import PULSE_SCALE, PULSE_STATEMENTS
from teams.models import User
from teams.time_zones import TimeZoneField

PREVIEW_COUNT = 6
RULE_ERRORS = {
    "empty": _("Write the rule, for example FREQ=WEEKLY;INTERVAL=3;BYDAY=TH."),
    "dtstart": _("Leave DTSTART out of the rule; the first date and time are set above."),
    "syntax": _("This is not a valid RRULE. Example: FREQ=WEEKLY;INTERVAL=3;BYDAY=TH."),
    "too-often": _("Reflection sessions can repeat at most daily."),
    "interval": _("INTERVAL must be a whole number from 1 to 999."),
    "count": _("COUNT must be a whole number from 1 to 1000."),
}


def builtin_prompt_choices():
    return [(key, text) for key, text in BUILTIN_PROMPTS.items()]


def earliest_start() -> date:
    return timezone.localdate() - timedelta(days=366)


def latest_start() -> date:
    return timezone.localdate() + timedelta(days=2 * 366)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class RhythmForm(CleanTextMixin, forms.ModelForm):
    time_zone = TimeZoneField()
    prompt_keys = forms.MultipleChoiceField(
        label=_("Prompts for each session"),
        choices=builtin_prompt_choices,
        required=False,
        initial=DEFAULT_PROMPT_KEYS,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Rhythm
        fields = [
            "title",
            "frequency",
            "weekday",
            "week_of_month",
            "custom_rule",
            "start_date",
            "start_time",
            "time_zone",
            "duration_minutes",
            "location",
            "video_url",
            "prompt_keys",
            "is_active",
        ]
        widgets = {"start_date": DateInput(), "start_time": TimeInput()}
        help_texts = {
            "week_of_month": _("Used by the monthly rhythm, e.g. the first Tuesday."),
            "weekday": _("Used by the weekly, two-weekly and monthly rhythms."),
            "start_date": _("Sessions repeat from this date on."),
        }

    def clean_start_date(self) -> date:
        value = self.cleaned_data["start_date"]
        if not earliest_start() <= value <= latest_start():
            raise forms.ValidationError(
                _("Choose a first date within a year back and two years ahead.")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("frequency") == Rhythm.Frequency.CUSTOM
            and not cleaned.get("custom_rule", "").strip()
        ):
            self.add_error("custom_rule", RULE_ERRORS["empty"])
            return cleaned
        if self.errors:
            return cleaned
        candidate = self._candidate(cleaned)
        try:
            upcoming = self._occurrences(candidate, PREVIEW_COUNT)
        except recurrence.RuleError as error:
            self.add_error("custom_rule", RULE_ERRORS[str(error)])
            return cleaned
        if not upcoming and cleaned.get("is_active"):
            field = "custom_rule" if candidate.frequency == Rhythm.Frequency.CUSTOM else None
            self.add_error(
                field, _("This rhythm has no dates in the next two years. Check the rule.")
            )
        self.show_preview(candidate, upcoming)
        return cleaned

    def show_preview(self, rhythm: Rhythm, upcoming=None) -> None:
        """Sets the next dates, as local times of the rhythm's zone, for the template."""
        if upcoming is None:
            upcoming = self._occurrences(rhythm, PREVIEW_COUNT)
        self.preview_zone = rhythm.time_zone
        self.preview = [o.starts_at.astimezone(rhythm.zone) for o in upcoming]

    def _candidate(self, cleaned) -> Rhythm:
        fields = {name: cleaned.get(name) for name in self.Meta.fields if name in cleaned}
        return Rhythm(**fields)

    @staticmethod
    def _occurrences(rhythm: Rhythm, count: int) -> list[recurrence.Occurrence]:
        now = timezone.now()
        return recurrence.occurrences(
            rule=rhythm.rule(),
            start_date=rhythm.start_date,
            start_time=rhythm.start_time,
            time_zone=rhythm.time_zone,
            duration_minutes=rhythm.duration_minutes or 30,
            after=now,
            before=now + timedelta(days=2 * 366),
            limit=count,
        )


class SessionTimeForm(CleanTextMixin, forms.Form):
    """When and where a single session takes place (adding one, or moving one)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=5, max_value=480, initial=30
    )
    time_zone = TimeZoneField()
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), max_length=500, required=False)

    def clean_date(self) -> date:
        value = self.cleaned_data["date"]
        if not earliest_start() <= value <= latest_start():
            raise forms.ValidationError(_("Choose a date within a year back and two years ahead."))
        return value

    def starts_at(self) -> datetime:
        naive = datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return recurrence.local_to_utc(naive, zoneinfo.ZoneInfo(self.cleaned_data["time_zone"]))


class SessionAddForm(SessionTimeForm):
    title = forms.CharField(label=_("Name"), max_length=120)
    prompt_keys = forms.MultipleChoiceField(
        label=_("Prompts"),
        choices=builtin_prompt_choices,
        required=False,
        initial=DEFAULT_PROMPT_KEYS,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["title", "date", "time", "duration_minutes", "time_zone"]


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who took part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, team, members: list | None = None, **kwargs):
        """`members`: attendance_people(team) already loaded, for showing the choices."""
        from reflections.selectors import attendance_people

        super().__init__(*args, **kwargs)
        _listed(self.fields["attendees"], members)
        self.fields["attendees"].queryset = attendance_people(team)


class PromptAddForm(CleanTextMixin, forms.Form):
    builtin_key = forms.ChoiceField(label=_("From the built-in prompts"), required=False)
    template = forms.ModelChoiceField(
        label=_("From your organisation's prompts"),
        queryset=PromptTemplate.objects.none(),
        required=False,
    )
    text = forms.CharField(label=_("Or write your own"), max_length=300, required=False)

    def __init__(self, *args, organization, templates: list | None = None, **kwargs):
        """`templates`: prompt_templates_of(the organisation) already loaded, for showing the
        choices."""
        from reflections.selectors import prompt_templates_of

        super().__init__(*args, **kwargs)
        self.fields["builtin_key"].choices = [("", "—"), *builtin_prompt_choices()]
        _listed(self.fields["template"], templates)
        self.fields["template"].queryset = prompt_templates_of(organization.pk)

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("builtin_key", "template", "text") if cleaned.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("Choose one built-in prompt, one of your organisation's, or write one.")
            )
        return cleaned


class PromptTemplateForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = PromptTemplate
        fields = ["text"]


def text_field(*, label, max_length: int, empty: str, rows: int = 4, **kwargs) -> forms.CharField:
    """A trimmed multi-line text with clear messages when it is empty or too long."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": empty,
            "max_length": _("Keep it to %(limit_value)d characters; this has %(show_value)d."),
        },
        **kwargs,
    )


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices from a list the page has loaded already (field.listed), so the same
    sessions are not read twice; validation still queries the queryset. Without a list, the
    queryset is read whole in one query: Django's `.iterator()` opens a server-side cursor,
    two round trips more on PostgreSQL for a few dozen rows (the team feed's form is drawn on
    every request with the fragment cache off)."""

    def __iter__(self):
        listed = getattr(self.field, "listed", None)
        if listed is None:
            listed = self.queryset.all()  # a copy: nothing kept on the field
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in listed:
            yield self.choice(obj)

    def __len__(self):
        listed = getattr(self.field, "listed", None)
        if listed is None:
            return super().__len__()
        return len(listed) + (1 if self.field.empty_label is not None else 0)


def _listed(field: forms.ModelChoiceField, rows: list | None) -> None:
    """The field shows `rows` (its queryset already loaded) as its choices; set before its
    queryset, which makes the widget's choices."""
    if rows is not None:
        field.iterator = ListedChoiceIterator
        field.listed = rows


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


def session_choice(
    team, sessions: list | None = None, *, drawn_only: bool = False
) -> forms.ModelChoiceField:
    """`sessions`: feed_sessions_for_filter(team) already loaded, for showing the choices.
    `drawn_only`: the field of an unbound form, never validated, so without a queryset."""
    from reflections.selectors import feed_sessions_for_filter

    field = ListedChoiceField(
        label=_("About a session (optional)"),
        queryset=None if drawn_only else feed_sessions_for_filter(team),
        required=False,
        empty_label=_("The whole team"),
    )
    field.listed = sessions
    return field


class ThoughtForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of thought"),
        choices=Thought.Kind.choices,
        initial=Thought.Kind.THINKING,
        widget=forms.RadioSelect,
    )
    body = text_field(
        label=_("Your thought"),
        max_length=THOUGHT_MAX_LENGTH,
        empty=_("Write your thought first; unfinished is fine, empty is not."),
        help_text=_("Unfinished is welcome. Only your team sees this."),
    )

    def __init__(
        self, *args, team, sessions: list | None = None, goals: list | None = None, **kwargs
    ):
        """`sessions` and `goals`: feed_sessions_for_filter(team) and thought_goals(team)
        already loaded, for showing the choices."""
        from reflections.selectors import thought_goals

        super().__init__(*args, **kwargs)
        # Only validation runs the querysets, and only a bound form validates: the feed's
        # form, unbound with its choices loaded, is drawn without building them (building
        # them cost more than drawing their options).
        drawn_only = not self.is_bound and sessions is not None and goals is not None
        self.fields["session"] = session_choice(team, sessions, drawn_only=drawn_only)
        self.fields["team_goal"] = ListedChoiceField(
            label=_("Learning goal it builds on"),
            queryset=None if drawn_only else thought_goals(team),
            required=False,
            empty_label=_("None"),
            help_text=_("Link it to the competence the team is building, if it fits."),
        )
        self.fields["team_goal"].listed = goals


class ThoughtEditForm(CleanTextMixin, forms.Form):
    kind = ThoughtForm.base_fields["kind"]
    body = ThoughtForm.base_fields["body"]


class ReplyForm(CleanTextMixin, forms.Form):
    body = text_field(
        label=_("Your reply"),
        max_length=THOUGHT_MAX_LENGTH,
        empty=_("Write your reply first."),
        rows=2,
    )


class QuestionForm(CleanTextMixin, forms.Form):
    ANONYMOUS = "anonymous"
    NAMED = "named"

    body = text_field(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        empty=_("Write your question first."),
        rows=3,
    )
    identity = forms.ChoiceField(
        label=_("Ask"),
        choices=[(ANONYMOUS, _("Anonymously")), (NAMED, _("With my name"))],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
    )

    notify = forms.BooleanField(
        label=_("Tell me when it is answered"),
        required=False,
        help_text=_(
            "With your name: a notification in Learning Lead. Anonymously: only this browser "
            "remembers the question (in a cookie, not with your account), so you see the "
            "answer on the device you ask with."
        ),
    )
    name_upward = forms.BooleanField(
        label=_(
            "If a supervisor forwards this question to HR or leadership, my name may go with it"
        ),
        required=False,
        help_text=_(
            "Only for questions asked with your name. Without this, it goes up without a name."
        ),
    )

    def __init__(self, *args, team, sessions: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"] = session_choice(team, sessions)

    @property
    def is_named(self) -> bool:
        return self.cleaned_data["identity"] == self.NAMED


class AnswerForm(CleanTextMixin, forms.Form):
    body = text_field(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        empty=_("Write the answer first, or mark the question answered."),
        rows=3,
    )


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": _("Say briefly why."),
            "max_length": _("Keep the reason to %(limit_value)d characters."),
        },
    )


class PulseForm(forms.Form):
    """One optional 1-5 answer per statement; at least one is needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in PULSE_STATEMENTS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=text,
                choices=PULSE_SCALE,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(key) for key in PULSE_STATEMENTS):
            raise forms.ValidationError(_("Choose a number for at least one statement."))
        return cleaned

    def values(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in PULSE_STATEMENTS if self.cleaned_data[key]}


class AgreementForm(CleanTextMixin, forms.Form):
    text = text_field(
        label=_("Our agreement"),
        max_length=AGREEMENT_MAX_LENGTH,
        empty=_("Write at least one line the team agrees on."),
        rows=6,
        help_text=_(
            "For example: unfinished thoughts are welcome; we listen before we answer; "
            "what is said here stays here."
        ),
    )
