"""Privacy pages: the person's own data, export and account deletion; the organisation's
audit trail, privacy settings and privacy page."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_lead.languages import language_for
from privacy import audit_details, export, selectors, services
from privacy.audit import audit, client_ip, origin
from privacy.forms import AuditFilterForm, DeletionConfirmForm, RetentionForm
from privacy.models import AuditEvent
from teams import access


def remind_pending_deletion(sender, request, user, **kwargs) -> None:
    """On sign-in during the grace period, say that the account is about to be deleted."""
    pending = selectors.pending_deletion(user)
    if pending is None:
        return
    # In the person's own language: the request's is not yet theirs while signing in.
    with translation.override(language_for(user)):
        text = _(
            "Your account will be deleted on %(date)s. You can still cancel this on the "
            "My data page."
        ) % {"date": formats.date_format(pending.due_at, "DATE_FORMAT")}
    # A sign-in outside a browser request (the test client's login) has no message store.
    messages.warning(request, text, fail_silently=True)


@login_required
@require_GET
def my_data(request):
    context = {
        "data": export.data_export(user=request.user),
        "pending": selectors.pending_deletion(request.user),
    }
    return render(request, "privacy/my_data.html", context)


def _download(request, content: str, content_type: str, extension: str) -> HttpResponse:
    audit(request, AuditEvent.Action.DATA_EXPORT, subject=request.user, target=extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="learning-lead-my-data.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_json(request):
    data = export.data_export(user=request.user)
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return _download(request, content, "application/json; charset=utf-8", "json")


@login_required
@require_GET
def export_html(request):
    data = export.data_export(user=request.user)
    content = render_to_string("privacy/export.html", {"data": data}, request=request)
    return _download(request, content, "text/html; charset=utf-8", "html")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    user = request.user
    blocking = services.teams_left_without_supervisor(user)
    form = DeletionConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and not blocking and form.is_valid():
        pending = services.account_deletion_request(user=user, ip_address=client_ip(request))
        messages.warning(
            request,
            _("Your account will be deleted on %(date)s unless you cancel before then.")
            % {"date": formats.date_format(pending.due_at, "DATE_FORMAT")},
        )
        return redirect("privacy:my_data")
    context = {
        "form": form,
        "blocking": blocking,
        "pending": selectors.pending_deletion(user),
        "facts": selectors.privacy_facts(user.organization),
    }
    return render(request, "privacy/account_delete.html", context)


@login_required
@require_POST
def account_delete_cancel(request):
    if services.account_deletion_cancel(user=request.user, ip_address=client_ip(request)):
        messages.success(request, _("Your account will not be deleted."))
    return redirect("privacy:my_data")


@login_required
@require_GET
def audit_log(request):
    access.require_admin(request.user)
    people = access.people_for(request.user).order_by("first_name", "last_name", "username")
    form = AuditFilterForm(request.GET or None, people=people)
    events = selectors.audit_events_for_organization(request.user.organization_id, **form.filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = audit_details.with_details(page.object_list)
    return render(request, "privacy/audit_log.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request):
    access.require_admin(request.user)
    organization = request.user.organization
    initial = {
        "retention_months": organization.retention_months,
        "min_group_size": organization.min_group_size,
    }
    form = RetentionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.organization_retention_set(
            organization=organization, **form.cleaned_data, **origin(request)
        )
        messages.success(request, _("Privacy settings saved."))
        return redirect("privacy:settings")
    return render(request, "privacy/settings.html", {"form": form})


def privacy_page(request):
    """What is kept, for how long and who sees what, from the organisation's own settings."""
    organization = request.user.organization if request.user.is_authenticated else None
    first_look = organization is not None and organization.privacy_page_seen_at is None
    if first_look and access.is_admin(request.user):
        services.privacy_page_seen(organization=organization)
    return render(request, "privacy/page.html", selectors.privacy_facts(organization))
