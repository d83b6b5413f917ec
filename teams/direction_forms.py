"""Forms for strategy themes, team and personal learning goals and check-ins: validation only.

Choice fields get their querysets from teams.access, so an id from another team or
organisation is simply "not a valid choice".
"""

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from learning_lead.text import CleanTextMixin
from teams.models import CheckIn, PersonalGoal, StrategyTheme, TeamGoal

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ThemeForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = StrategyTheme
        fields = ["title", "description", "starts_on", "ends_on", "order"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
        }

    def clean_title(self) -> str:
        # The unique constraint names the organisation, which is not a form field, so Django
        # skips it in form validation; check here to give a message instead of a 500.
        title = self.cleaned_data["title"].strip()
        clash = StrategyTheme.objects.filter(
            organization_id=self.instance.organization_id, title__iexact=title
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The organisation already has a theme with this title."))
        return title


class TeamGoalForm(CleanTextMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Strategy themes"),
        queryset=StrategyTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which of the organisation's directions does this competence serve?"),
        error_messages={"required": _("Choose at least one strategy theme.")},
    )

    class Meta:
        model = TeamGoal
        fields = ["title", "why", "themes", "status"]
        widgets = {"why": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("For example: “Handling difficult customer calls calmly”."),
            "why": _(
                "Explain the reason in terms of the team's own work: people commit to "
                "what they understand."
            ),
        }

    def __init__(self, *args, themes: QuerySet[StrategyTheme], with_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes
        # Until HR has written any themes, a goal may stand on its own.
        self.fields["themes"].required = themes.exists()
        if not with_status:
            del self.fields["status"]


class PersonalGoalForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = PersonalGoal
        fields = ["title", "reason", "team_goal", "challenge", "visibility", "status"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "challenge": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "reason": _("In your own words: what will this help you do or become?"),
            "team_goal": _("Link it to a goal of your team, or leave it free."),
            "challenge": _("Choose a size that fits you now: enough to stretch, not to break."),
            "visibility": _(
                "You decide. “Me and my supervisor”: the supervisors of the team whose goal "
                "this serves (for a free goal, of each of your teams). “My team”: everyone in "
                "that team. “Only me” is never shown to your supervisor, your team or HR."
            ),
        }

    def __init__(self, *args, team_goals: QuerySet[TeamGoal], with_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_goal"].queryset = team_goals.select_related("team")
        self.fields["team_goal"].label_from_instance = lambda goal: f"{goal.team} · {goal}"
        self.fields["team_goal"].empty_label = _("No team goal (a free goal)")
        if not with_status:
            del self.fields["status"]


PROGRESS_CHOICES = [
    (1, _("1 – just starting")),
    (2, _("2 – finding my way")),
    (3, _("3 – getting there")),
    (4, _("4 – mostly there")),
    (5, _("5 – I can do this on my own")),
]


class CheckInForm(CleanTextMixin, forms.ModelForm):
    progress = forms.TypedChoiceField(
        label=_("Where are you now?"),
        choices=PROGRESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CheckIn
        fields = ["day", "progress", "note"]
        widgets = {"day": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": _("What moved, what got stuck, what will you try next?")}

    def __init__(self, *args, goal: PersonalGoal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["day"].widget.attrs.update(
            min=goal.first_checkin_day().isoformat(), max=timezone.localdate().isoformat()
        )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A check-in cannot be dated in the future."))
        first = self.goal.first_checkin_day()
        if day < first:
            raise forms.ValidationError(
                _("A check-in cannot be dated before the goal was set (%(day)s)."),
                params={"day": formats.date_format(first, "SHORT_DATE_FORMAT")},
            )
        return day
