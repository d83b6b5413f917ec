"""Invitations: admins and supervisors invite by e-mail, one or many at a time; resend and
withdraw; the invitee sets a password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning_lead import languages
from privacy.audit import client_ip, origin
from teams import access, invitation_lines, services
from teams.forms import InvitationAcceptForm, InvitationForm, InvitationLinesForm


def _invalid(request, invalid: services.InvitationInvalid):
    if isinstance(invalid, services.InvitationAddressTaken):
        # Not an error of the link: the address has an account already (a second invitation).
        return render(request, "teams/invitation_taken.html", status=409)
    return render(request, "teams/invitation_invalid.html", status=400)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    user = request.user
    if not access.can_invite(user):
        raise access.PermissionDenied
    form = InvitationForm(
        request.POST or None,
        teams=access.manageable_teams(user).order_by("name"),
        team_required=not access.is_admin(user),
        initial={"team": request.GET.get("team")},
    )
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            inviter=user,
            ip_address=client_ip(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("teams:invitations")
    invitations = (
        access.invitations_for(user)
        .filter(accepted_at__isnull=True)
        .select_related("team", "invited_by")
    )
    return render(request, "teams/invitation_list.html", {"form": form, "invitations": invitations})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_many(request):
    """Paste or upload, see each line with its errors, then send all (only when none has
    an error: nothing is half-done)."""
    user = request.user
    if not access.can_invite(user):
        raise access.PermissionDenied
    form = InvitationLinesForm(request.POST or None, request.FILES or None)
    lines = None
    if request.method == "POST" and form.is_valid():
        lines = invitation_lines.check(
            invitation_lines.parse(form.cleaned_data["lines"]),
            organization_id=user.organization_id,
            teams=access.manageable_teams(user),
            team_required=not access.is_admin(user),
            may_grant_hr=access.is_admin(user),
        )
        ready = lines and not any(line.errors for line in lines)
        if ready and request.POST.get("send"):
            try:
                sent = services.invitations_create_many(
                    inviter=user,
                    lines=lines,
                    language=form.cleaned_data["language"],
                    ip_address=client_ip(request),
                )
            except services.InvitationAddressTaken as taken:
                messages.error(
                    request,
                    _("%(email)s has just got an account: nothing was sent.")
                    % {"email": taken.args[0]},
                )
            else:
                count = len(sent)
                messages.success(
                    request,
                    ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", count)
                    % {"count": count},
                )
                return redirect("teams:invitations")
        # The lines as read (from the file too) stay in the box, to fix or to send.
        data = form.cleaned_data
        form = InvitationLinesForm(initial={"lines": data["lines"], "language": data["language"]})
    context = {
        "form": form,
        "lines": lines,
        "ready": bool(lines) and not any(line.errors for line in lines),
        "error_count": sum(1 for line in lines or [] if line.errors),
    }
    return render(request, "teams/invitation_many.html", context)


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = access.get_invitation_for(request.user, pk)
    try:
        services.invitation_resend(invitation=invitation, **origin(request))
    except services.InvitationAlreadyAccepted:
        messages.error(request, _("This invitation has already been accepted."))
    except services.InvitationResendTooSoon as soon:
        minutes = soon.args[0]
        messages.error(
            request,
            ngettext(
                "%(email)s has just been sent this invitation. You can send it again in "
                "%(minutes)d minute.",
                "%(email)s has just been sent this invitation. You can send it again in "
                "%(minutes)d minutes.",
                minutes,
            )
            % {"email": invitation.email, "minutes": minutes},
        )
    except services.InvitationResendLimit:
        messages.error(
            request,
            _(
                "Your organisation has sent many invitations again within the last hour. "
                "Try again in an hour."
            ),
        )
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("teams:invitations")


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = access.get_invitation_for(request.user, pk)
    try:
        services.invitation_revoke(invitation=invitation, **origin(request))
    except services.InvitationAlreadyAccepted:
        messages.error(request, _("This invitation has already been accepted."))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("teams:invitations")


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as invalid:
        return _invalid(request, invalid)
    # The invitee has no account yet: the page speaks the invitation's language, as its
    # e-mail did, whatever the browser asks for (the language switch still wins).
    languages.activate_for_visitor(request, invitation.language or invitation.organization.language)
    first, _space, last = invitation.name.partition(" ")
    form = InvitationAcceptForm(
        request.POST or None, initial={"first_name": first, "last_name": last}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                invitation=invitation,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                language=get_language(),
                ip_address=client_ip(request),
            )
        except services.InvitationInvalid as invalid:
            return _invalid(request, invalid)
        login(request, user, backend=settings.USER_BACKEND)
        messages.success(request, _("Welcome to Learning Lead!"))
        return redirect("home")
    return render(request, "teams/invitation_accept.html", {"form": form, "invitation": invitation})
