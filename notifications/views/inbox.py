"""In-app notifications: the list and marking them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import selectors, services


@login_required
def inbox(request):
    context = {"notifications": selectors.notifications_for(request.user)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    # Scoped to the signed-in person: someone else's id simply matches nothing.
    services.notifications_mark_read(user=request.user, ids=[pk])
    if request.htmx:
        context = {
            "notifications": selectors.notifications_for(request.user),
            # Counted again: the count loaded with the user predates this request's change.
            "unread_notifications": selectors.unread_count(request.user, fresh=True),
        }
        return render(request, "notifications/inbox.html#inbox", context)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:inbox")
