"""The SMTP backend EMAIL_URL configures: Django's, with a fast path for plain addresses that
gives exactly what Django's own address check gives."""

import warnings

import pytest
from django.core.mail.backends import smtp

from learning_lead.env import mailer_from_env
from learning_lead.mail_backend import EmailBackend


def backend() -> EmailBackend:
    return EmailBackend(alias="default", host="127.0.0.1")


def django_backend() -> smtp.EmailBackend:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return smtp.EmailBackend(alias="default", host="127.0.0.1")


@pytest.mark.parametrize(
    "address",
    [
        "mia@example.org",
        "first.last+tag@sub.example.co.uk",
        "o'brien@example.org",
        "Learning Lead <noreply@localhost>",
        '"Mia, HR" <mia@example.org>',
        "Äijä <aija@example.org>",
        "mia@exämple.org",
    ],
)
def test_addresses_are_prepared_as_django_prepares_them(address):
    assert backend().prep_address(address) == django_backend().prep_address(address)


@pytest.mark.parametrize(
    "address", ["mia@example.org\nBcc: all@example.org", "two@example.org, three@example.org"]
)
def test_bad_addresses_are_refused_as_django_refuses_them(address):
    with pytest.raises(ValueError):
        django_backend().prep_address(address)
    with pytest.raises(ValueError):
        backend().prep_address(address)


@pytest.mark.parametrize("url", ["", "smtp://user:secret@smtp.example.org:587/?tls=True"])
def test_smtp_settings_use_this_backend(url):
    mailer = mailer_from_env(url, host="localhost", port=25)
    assert mailer["BACKEND"] == "learning_lead.mail_backend.EmailBackend"
