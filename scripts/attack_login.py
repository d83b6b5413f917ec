"""Tries the login attacks of issue #18 against a running server on this machine.

    python scripts/attack_login.py http://127.0.0.1:8765 --user NAME --password SECRET

The user must be staff (to try /admin/login/) and not locked when the run starts. Requests
come from two loopback source addresses: 127.0.0.1 (the attacker) and 127.0.0.2 (the owner),
so no forwarded header is needed. Every loop is bounded; only loopback targets are accepted.
Cookies are handled by hand, because with DEBUG off they are Secure and the run is plain HTTP.

Checks, each printed as PASS or FAIL:
1. after LIMIT wrong passwords on /accounts/login/ the right one is refused there;
2. ten wrong passwords and then the right one on /admin/login/ do not sign in either;
3. the owner, from another address, still signs in with the right password.
"""

import argparse
import http.client
import ipaddress
import re
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

ATTACKER, OWNER = "127.0.0.1", "127.0.0.2"


class Browser:
    """One client with its own cookies and source address."""

    def __init__(self, base: str, source: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.source = source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=15, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, text

    def sign_in(self, path: str, username: str, password: str) -> tuple[int, bool]:
        """Posts a login form; returns the status and whether a session now exists."""
        status, _headers, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"{path} answered {status} without a form")
        form = {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
        status, _headers, _page = self.request("POST", path, form)
        return status, "sessionid" in self.cookies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--limit", type=int, default=5, help="LOGIN_FAILURE_LIMIT of the server")
    args = parser.parse_args()
    if not ipaddress.ip_address(urlsplit(args.base).hostname).is_loopback:
        raise SystemExit("Only a server on this machine (127.0.0.0/8) may be attacked.")

    results = []
    attacker = Browser(args.base, ATTACKER)
    for _ in range(args.limit):
        attacker.sign_in("/accounts/login/", args.user, "wrong-password")
    status, signed_in = attacker.sign_in("/accounts/login/", args.user, args.password)
    results.append(("locked on /accounts/login/", status == 429 and not signed_in, status))

    for _ in range(10):
        attacker.sign_in("/admin/login/", args.user, "wrong-password")
    status, signed_in = attacker.sign_in("/admin/login/", args.user, args.password)
    admin_status = attacker.request("GET", "/admin/")[0]
    results.append(
        ("right password refused on /admin/login/", not signed_in and admin_status == 302, status)
    )

    owner = Browser(args.base, OWNER)
    status, signed_in = owner.sign_in("/accounts/login/", args.user, args.password)
    results.append(("owner signs in from another address", signed_in and status == 302, status))

    for name, passed, status in results:
        print(f"{'PASS' if passed else 'FAIL'}  {name} (HTTP {status})")
    return 0 if all(passed for _name, passed, _status in results) else 1


if __name__ == "__main__":
    sys.exit(main())
