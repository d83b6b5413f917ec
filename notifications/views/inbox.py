"""In-app notifications: the list and marking them read, plus answers to questions asked
anonymously from this browser (kept only in the browser's cookie: answer_cookie)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import selectors, services
from reflections import answer_cookie


def _context(request) -> dict:
    return {
        "notifications": selectors.notifications_for(request.user),
        "answered_here": answer_cookie.answered(request),
    }


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", _context(request))


@login_required
@require_POST
def mark_read(request, pk: int):
    # Scoped to the signed-in person: someone else's id simply matches nothing.
    services.notifications_mark_read(user=request.user, ids=[pk])
    if request.htmx:
        context = _context(request)
        # Counted again: the count loaded with the user predates this request's change.
        context["unread_notifications"] = selectors.unread_total(request, fresh=True)
        return render(request, "notifications/inbox.html#inbox", context)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(user=request.user)
    entries = answer_cookie.dismissed(request, None)
    response = redirect("notifications:inbox")
    answer_cookie.write(request, response, entries)
    return response


@login_required
@require_POST
def dismiss_answered(request):
    """Marks an answer to an anonymously asked question seen, in this browser's cookie. The
    question's id comes in the form, not the address, so no access log pairs it with the
    asker's address."""
    try:
        question_id = uuid.UUID(request.POST.get("question", ""))
    except ValueError:
        return redirect("notifications:inbox")
    entries = answer_cookie.dismissed(request, question_id)
    if request.htmx:
        response = render(request, "notifications/inbox.html#inbox", _context(request))
    else:
        response = redirect("notifications:inbox")
    answer_cookie.write(request, response, entries)
    return response
