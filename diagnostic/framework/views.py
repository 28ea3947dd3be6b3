"""The read-only framework page, for every signed-in user, and publishing a draft from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_required

from ..exceptions import FrameworkError, error_lines
from ..models import Framework
from .store import framework_outline, framework_publish


def render_framework(request, framework: Framework | None):
    visible = Framework.objects.visible_to(request.user)
    context = {
        "framework": framework,
        "versions": visible.order_by("code", "-version"),
        "can_publish": framework is not None
        and framework.status == Framework.Status.DRAFT
        and request.user.has_perm("diagnostic.publish_framework"),
    }
    if framework is not None:
        context.update(framework_outline(framework=framework))
    return render(request, "diagnostic/framework.html", context)


@login_required
def framework_current(request):
    return render_framework(request, Framework.objects.visible_to(request.user).current())


@login_required
def framework_version(request, code: str, version: int):
    frameworks = Framework.objects.visible_to(request.user)
    return render_framework(request, get_object_or_404(frameworks, code=code, version=version))


@role_required(Role.FRAMEWORK_EDITOR)
@require_POST
def framework_publish_view(request, code: str, version: int):
    frameworks = Framework.objects.visible_to(request.user)
    framework = get_object_or_404(frameworks, code=code, version=version)
    try:
        framework_publish(framework=framework)
    except FrameworkError as exc:
        for line in error_lines(exc):
            messages.error(request, line)
    else:
        messages.success(request, _("Version %(version)s published.") % {"version": version})
    return redirect("framework:version", code=code, version=version)
