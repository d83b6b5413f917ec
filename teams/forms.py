"""Forms for teams, people, invitations and preferences: validation only."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UsernameField
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from learning_lead.languages import language_choices, language_for
from learning_lead.text import CleanTextMixin, clean_text
from teams import password_reset, selectors
from teams.models import Membership, OrgRole, Team, User
from teams.time_zones import TimeZoneField


class TeamForm(CleanTextMixin, forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = Team
        fields = ["name", "description", "time_zone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        # The unique constraint names the organisation, which is not a form field, so Django's
        # own constraint validation skips it; check here to give a message instead of a 500.
        name = self.cleaned_data["name"].strip()
        clash = Team.objects.filter(
            organization_id=self.instance.organization_id, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The organisation already has a team with this name."))
        return name


class MemberAddForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(organization_id=team.organization_id, is_active=True)
            .exclude(memberships__team=team)
            .order_by("first_name", "last_name", "username")
        )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class PersonForm(CleanTextMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Organisation roles"),
        choices=OrgRole.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label=_("Can sign in"),
        required=False,
        help_text=_("Turn off to stop a person from signing in without deleting anything."),
    )


def invitation_language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=lambda: [("", _("The organisation's language")), *language_choices()],
        required=False,
    )


class InvitationForm(CleanTextMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    role = forms.ChoiceField(
        label=_("Role in team"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    language = invitation_language_field()

    def __init__(self, *args, teams, team_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].required = team_required

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if selectors.email_in_use(email):
            raise forms.ValidationError(
                _("Someone already has an account with this e-mail. Add them to the team instead.")
            )
        return email


class InvitationLinesForm(CleanTextMixin, forms.Form):
    """Many invitations: pasted lines or a CSV file (teams/invitation_lines.py checks them)."""

    MAX_FILE_BYTES = 256 * 1024

    lines = forms.CharField(
        label=_("Addresses"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "One person a line: address, name, team, role (member, supervisor or hr); only "
            "the address is needed. Addresses separated by commas work too."
        ),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("The same columns, as a spreadsheet saves them (UTF-8)."),
    )
    language = invitation_language_field()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("csv_file")
        if upload:
            if upload.size > self.MAX_FILE_BYTES:
                raise forms.ValidationError(_("The file is too large (at most 256 kB)."))
            try:
                cleaned["lines"] = clean_text(upload.read().decode("utf-8-sig"))
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text: save it as “CSV UTF-8”.")
                ) from None
        if not (cleaned.get("lines") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Paste some addresses or choose a file."))
        return cleaned


class InvitationAcceptForm(CleanTextMixin, forms.Form):
    username = UsernameField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only. You sign in with this."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. Choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: [("", _("The browser's language")), *language_choices()],
        required=False,
    )
    time_zone = TimeZoneField()


class PasswordResetForm(CleanTextMixin, auth_forms.PasswordResetForm):
    """Sends the reset link in the account's own language, not the visitor's, and not more
    often than teams/password_reset.py allows (the visitor sees the same page either way)."""

    def get_users(self, email):
        for user in super().get_users(email):
            if password_reset.reset_mail_claim(email=email, user_id=user.pk):
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_for(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SignupForm(InvitationAcceptForm):
    """A new organisation and its first person (the admin once the e-mail is verified)."""

    organization_name = forms.CharField(label=_("Organisation name"), max_length=120)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        help_text=_("Invitations and the organisation's shared texts use it."),
    )
    time_zone = TimeZoneField(initial=settings.TIME_ZONE)
    email = forms.EmailField(
        label=_("Your work e-mail"),
        max_length=254,
        help_text=_("We send a link there; your account works once you have opened it."),
    )
    field_order = [
        "organization_name",
        "language",
        "time_zone",
        "first_name",
        "last_name",
        "email",
        "username",
        "password1",
        "password2",
    ]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        User.username_validator(username)
        return username  # taken or not: decided in clean(), which knows the address

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if selectors.email_in_use(email) and not selectors.pending_signups(email=email).exists():
            raise forms.ValidationError(
                _(
                    "Someone already has an account with this e-mail. Sign in, or ask your "
                    "organisation's admin to invite you."
                )
            )
        return email

    def clean(self):
        cleaned = super().clean()
        username, email = cleaned.get("username"), cleaned.get("email")
        if username:
            taken = User.objects.filter(username__iexact=username)
            if email:  # a pending sign-up of this address gives its name back
                taken = taken.exclude(pk__in=selectors.pending_signups(email=email).values("pk"))
            if taken.exists():
                self.add_error("username", _("This username is taken. Choose another."))
        return cleaned
