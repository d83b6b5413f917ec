"""User text loses control characters at the form layer (learning_lead/text.py): in every
project form with a text field, and on the way to the database through the views."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as settings_module
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.models import ChatDestination
from learning_lead.text import CleanTextMixin, clean_text, text_field_names
from reflections.models import Question, Thought
from teams.models import PersonalGoal, StrategyTheme, Team, TeamGoal, User
from tests.examples import examples

APPS = ["teams", "reflections", "notifications", "reports", "privacy", "learning_lead", "chat"]

# Written out here, not taken from the module, so the test checks the rule and not itself.
C0 = {chr(code) for code in range(0x20)} - {"\t", "\n"}
C1 = {chr(code) for code in range(0x7F, 0xA0)}
NONCHARACTERS = {chr(code) for code in range(0xFDD0, 0xFDF0)} | {
    chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)
}
UNWANTED = C0 | C1 | NONCHARACTERS

TEXT = st.lists(
    st.one_of(
        st.sampled_from(sorted(UNWANTED | {"\r\n", "\t", "\n", " "})),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
).map("".join)


def expected(text: str) -> str:
    """What a plain text field keeps: LF line breaks, no unwanted character, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char not in UNWANTED).strip()


def project_forms() -> list[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            skipped = (".migrations", ".management", ".wsgi", ".asgi")
            if not any(part in module.name for part in skipped):
                importlib.import_module(module.name)
    found, stack = [], [forms.BaseForm]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.split(".")[0] in APPS:
                found.append(subclass)
    return sorted(set(found), key=lambda form: f"{form.__module__}.{form.__qualname__}")


def full_name(form_class) -> str:
    return f"{form_class.__module__}.{form_class.__qualname__}"


def form_kwargs(acme, team_a) -> dict[str, dict]:
    """What each form needs besides its data; a new form that needs more fails below."""
    return {
        "teams.forms.TeamForm": {"instance": Team(organization=acme)},
        "teams.direction_forms.ThemeForm": {"instance": StrategyTheme(organization=acme)},
        "teams.forms.InvitationForm": {"teams": Team.objects.all(), "team_required": False},
        "teams.direction_forms.TeamGoalForm": {
            "themes": StrategyTheme.objects.none(),
            "with_status": True,
        },
        "teams.direction_forms.PersonalGoalForm": {
            "team_goals": TeamGoal.objects.none(),
            "with_status": True,
        },
        "reflections.forms.PromptAddForm": {"organization": acme},
        "reflections.forms.ThoughtForm": {"team": team_a},
        "reflections.forms.QuestionForm": {"team": team_a},
        "reflections.bridge_forms.ForwardForm": {"team": team_a},
        "reflections.forms.AttendanceForm": {"team": team_a},
        "teams.forms.MemberAddForm": {"team": team_a},
        "notifications.forms.PreferencesForm": {"teams": Team.objects.none(), "leads": True},
        "privacy.forms.DeletionConfirmForm": {"user": None},
        "privacy.forms.AuditFilterForm": {"people": User.objects.none()},
        "reports.forms.ReportFilterForm": {"teams": [], "today": timezone.localdate()},
        "teams.direction_forms.CheckInForm": {"goal": PersonalGoal(created_at=timezone.now())},
        "chat.forms.DestinationEditForm": {
            "destination": ChatDestination(team=team_a, kind="slack")
        },
    }


def make(form_class, data, acme, team_a) -> forms.BaseForm:
    return form_class(data=data, **form_kwargs(acme, team_a).get(full_name(form_class), {}))


FORMS = project_forms()


def test_the_forms_are_found():
    names = {form.__name__ for form in FORMS}
    assert {"ThoughtForm", "QuestionForm", "PersonalGoalForm", "PasswordResetForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=full_name)
def test_every_form_with_a_text_field_cleans_it(form_class, acme, team_a):
    form = make(form_class, None, acme, team_a)
    if text_field_names(form):
        assert isinstance(form, CleanTextMixin), f"{form_class.__name__}: add CleanTextMixin"


def test_control_characters_never_reach_cleaned_data(acme, team_a):
    """Every form that has a text field, each with generated text (forms without one have
    nothing to clean)."""
    with_text = [
        (form_class, names)
        for form_class in FORMS
        if (names := text_field_names(make(form_class, None, acme, team_a)))
    ]
    assert len(with_text) > 10
    for form_class, names in with_text:
        _submit_generated_text(form_class, names, acme, team_a)


def _submit_generated_text(form_class, names, acme, team_a):
    @settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(dict.fromkeys(names, TEXT)))
    def submit(data):
        form = make(form_class, data, acme, team_a)
        form.is_valid()
        for name in names:
            field = form.fields[name]
            shown = form[name].value() or ""
            assert not UNWANTED & set(shown), (name, shown)
            kept = form.cleaned_data.get(name)
            assert not UNWANTED & set(kept or ""), (name, kept)
            # Free text (no format to check) is kept, cleaned, whenever it fits.
            want = expected(data[name])
            if type(field) is forms.CharField and want and len(want) <= (field.max_length or 1e9):
                assert kept == want, (name, data[name])

    submit()


def test_line_breaks_become_lf_and_tabs_stay():
    assert clean_text("one\r\ntwo\rthree\n\tfour") == "one\ntwo\nthree\n\tfour"


def test_no_character_the_fragment_cache_marks_pages_with_can_be_typed():
    # Whatever invisible characters the fragment cache's code holds (its markers: today
    # \x02, \x03 and \x1f) must be ones user text loses.
    used = set()
    for path in (Path(settings_module.BASE_DIR) / "learning_lead").glob("fragment*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                used |= {char for char in node.value if not char.isprintable()} - {"\t", "\n"}
    assert clean_text("".join(sorted(used))) == ""


# Through the views, to the database ------------------------------------------------------------

DIRTY = "Half\x00 a\x1b[31m thought\u0085\r\nsecond\x02 line\ufdd0\x7f\tend"
CLEAN = "Half a[31m thought\nsecond line\tend"


def test_a_posted_thought_is_stored_clean(client, member, team_a):
    client.force_login(member)
    url = reverse("reflections:thought_post", args=[team_a.pk])
    assert client.post(url, {"kind": "thinking", "body": DIRTY}).status_code == 302
    assert Thought.objects.get().body == CLEAN


def test_an_asked_question_is_stored_clean(client, member, team_a):
    client.force_login(member)
    url = reverse("reflections:question_ask", args=[team_a.pk])
    assert client.post(url, {"body": DIRTY, "identity": "anonymous"}).status_code == 302
    assert Question.objects.get().body == CLEAN


def test_a_personal_goal_is_stored_clean(client, member):
    client.force_login(member)
    response = client.post(
        reverse("teams:personal_goal_create"),
        {"title": "Lead\x1f a retro\x03", "reason": DIRTY, "challenge": "3", "visibility": "team"},
    )
    assert response.status_code == 302
    goal = PersonalGoal.objects.get()
    assert (goal.title, goal.reason) == ("Lead a retro", CLEAN)


def test_text_that_is_only_control_characters_counts_as_empty(client, member, team_a):
    client.force_login(member)
    url = reverse("reflections:thought_post", args=[team_a.pk])
    response = client.post(url, {"kind": "thinking", "body": "\x00\x02\x03"})
    assert response.status_code == 200 and "empty is not" in response.content.decode()
    assert not Thought.objects.exists()
