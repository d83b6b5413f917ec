"""The organisation's own prompt templates, kept by supervisors and admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reflections.forms import PromptTemplateForm
from reflections.models import PromptTemplate
from reflections.prompts import BUILTIN_PROMPTS
from teams import access


def _require_planner(user) -> None:
    if not (access.is_admin(user) or access.teams_led_by(user).exists()):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request):
    _require_planner(request.user)
    organization = request.user.organization
    form = PromptTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        PromptTemplate.objects.create(organization=organization, text=form.cleaned_data["text"])
        messages.success(request, _("Prompt saved for your organisation."))
        return redirect("reflections:prompt_templates")
    context = {
        "form": form,
        "templates": PromptTemplate.objects.filter(organization=organization),
        "builtin": BUILTIN_PROMPTS.values(),
    }
    return render(request, "reflections/prompt_templates.html", context)


@login_required
@require_POST
def template_delete(request, pk: int):
    _require_planner(request.user)
    template = PromptTemplate.objects.filter(
        organization_id=request.user.organization_id, pk=pk
    ).first()
    if template is None:
        raise Http404
    template.delete()
    messages.success(request, _("Prompt removed. Sessions that use it keep their copy."))
    return redirect("reflections:prompt_templates")
