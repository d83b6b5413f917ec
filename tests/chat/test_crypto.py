"""Webhook URLs are encrypted with keys of their own, which rotate."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command

from chat import crypto
from chat.models import ChatDestination
from tests.chat.conftest import connect


def test_a_new_key_first_still_reads_old_rows_and_rotation_moves_them(settings, team_a, supervisor):
    destination = connect(team_a, "http://localhost:9/hook")
    new = Fernet.generate_key().decode()
    settings.CHAT_ENCRYPTION_KEYS = [new, *settings.CHAT_ENCRYPTION_KEYS]
    assert crypto.decrypt(destination.url_encrypted) == "http://localhost:9/hook"
    call_command("rotate_chat_keys", stdout=io.StringIO())
    settings.CHAT_ENCRYPTION_KEYS = [new]  # the old key is dropped
    stored = ChatDestination.objects.get(pk=destination.pk).url_encrypted
    assert crypto.decrypt(stored) == "http://localhost:9/hook"


def test_the_key_is_not_derived_from_the_secret_key(settings, team_a, supervisor):
    destination = connect(team_a, "http://localhost:9/hook")
    settings.CHAT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    try:
        crypto.decrypt(destination.url_encrypted)
    except crypto.InvalidToken:
        return
    raise AssertionError("decrypted without the key")
