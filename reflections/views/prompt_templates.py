"""The organisation's own prompt templates, kept by supervisors and admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reflections import access as reflections_access
from reflections import selectors, services
from reflections.forms import PromptTemplateForm
from reflections.prompts import BUILTIN_PROMPTS
from teams import access


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request):
    access.require_planner(request.user)
    organization_id = request.user.organization_id
    form = PromptTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.prompt_template_create(
            organization_id=organization_id, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Prompt saved for your organisation."))
        return redirect("reflections:prompt_templates")
    context = {
        "form": form,
        "templates": selectors.prompt_templates_of(organization_id),
        "builtin": BUILTIN_PROMPTS.values(),
    }
    return render(request, "reflections/prompt_templates.html", context)


@login_required
@require_POST
def template_delete(request, pk: int):
    template = reflections_access.get_prompt_template_for(request.user, pk)
    services.prompt_template_delete(template=template)
    messages.success(request, _("Prompt removed. Sessions that use it keep their copy."))
    return redirect("reflections:prompt_templates")
