"""Turns input no page can use into a clear 400 or 404 before it reaches the database.

PostgreSQL refuses NUL bytes in text; left alone, one becomes a 500 deep inside a query. A NUL
in the path names nothing that exists (404); a NUL in the query string or a cookie is a
malformed request (400). Form fields need nothing here: Django's form fields refuse NUL
characters with a message. Ids beyond an integer column's range need nothing either: Django
answers such lookups as empty without asking the database, so they end in the usual 404
(tests/security/test_input_guard.py keeps both true).
"""

from django.core.exceptions import BadRequest
from django.http import Http404

NUL = "\x00"


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404
        if any(NUL in key or NUL in value for key, value in _pairs(request.GET)):
            raise BadRequest("NUL byte in the query string")
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            raise BadRequest("NUL byte in a cookie")
        return self.get_response(request)


def _pairs(query):
    for key, values in query.lists():
        for value in values:
            yield key, value
