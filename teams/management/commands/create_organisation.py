"""Creates an organisation and its admin from the shell (for installs without sign-up)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from teams import selectors, signup_services
from teams.models import DEFAULT_TIME_ZONE, TIME_ZONE_CHOICES, User


class Command(BaseCommand):
    help = (
        "Create an organisation and its admin; prints a link where the admin chooses a "
        "password (works for PASSWORD_RESET_TIMEOUT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The organisation's name.")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
        )
        parser.add_argument("--time-zone", default=DEFAULT_TIME_ZONE)

    def handle(self, *args, **options):
        email, username = options["admin_email"].strip(), options["admin_username"]
        try:
            validate_email(email)
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["time_zone"] not in dict(TIME_ZONE_CHOICES):
            raise CommandError(f"Unknown time zone: {options['time_zone']}")
        if selectors.email_in_use(email):
            raise CommandError(f"Someone already has an account with {email}.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The username {username} is taken.")
        user = signup_services.organization_create(
            name=options["name"],
            language=options["language"],
            time_zone=options["time_zone"],
            username=username,
            email=email,
            first_name=options["admin_first_name"],
            last_name=options["admin_last_name"],
        )
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])
        self.stdout.write(
            self.style.SUCCESS(f"Organisation '{user.organization}' created; admin {username}.")
        )
        self.stdout.write(f"The admin chooses a password here: {link}")
