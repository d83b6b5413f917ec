"""Django's SMTP backend with a fast path for plain addresses.

Django's backend checks the sender and every recipient of every message with Python's e-mail
header parser (about 0.2 ms each); reminders go out by the thousand. A plain addr-spec
(dot-atom local part, ASCII domain) needs no parsing: the parser would return it unchanged.
Anything else (a display name, a non-ASCII domain, anything odd) takes Django's path, and the
sender, which repeats on every message, is parsed once."""

import re
from functools import lru_cache

from django.core.mail.backends import smtp
from django.utils.encoding import force_str

ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
SIMPLE_ADDRESS = re.compile(rf"{ATEXT}(\.{ATEXT})*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class EmailBackend(smtp.EmailBackend):
    def prep_address(self, address, force_ascii=True) -> str:
        address = force_str(address)
        if SIMPLE_ADDRESS.fullmatch(address):
            return address
        return _prepared(address, force_ascii)


@lru_cache(maxsize=256)
def _prepared(address: str, force_ascii: bool) -> str:
    # Django's prep_address does not use the backend instance.
    return smtp.EmailBackend.prep_address(None, address, force_ascii=force_ascii)
