from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_required
from diagnostic.framework.store import framework_new_draft

from ..exports.responses import export_response
from ..models import QualitySnapshot
from ..querysets import quality_campaigns_visible_to
from .files import EXPORTERS
from .pages import quality_page
from .snapshots import MIN_RESPONSES, quality_request

QUALITY_ROLES = (Role.HR, Role.FRAMEWORK_EDITOR)


@role_required(*QUALITY_ROLES)
def quality_list(request):
    campaigns = quality_campaigns_visible_to(request.user).order_by("-opens_at")
    return render(request, "reports/quality_list.html", {"campaigns": campaigns})


@role_required(*QUALITY_ROLES)
def quality_detail(request, code):
    campaign = get_object_or_404(quality_campaigns_visible_to(request.user), code=code)
    page = quality_page(campaign=campaign)
    return render(request, "reports/quality.html", {"campaign": campaign, "page": page})


@require_POST
@role_required(*QUALITY_ROLES)
def quality_compute(request, code):
    campaign = get_object_or_404(quality_campaigns_visible_to(request.user), code=code)
    quality_request(campaign=campaign, user=request.user)
    return redirect("reports:quality", code=campaign.code)


@role_required(*QUALITY_ROLES)
def quality_download(request, code, name, file_format):
    campaign = get_object_or_404(quality_campaigns_visible_to(request.user), code=code)
    snapshot = QualitySnapshot.objects.visible_to(request.user).latest_done(campaign)
    if snapshot is None or snapshot.responses < MIN_RESPONSES:
        raise Http404
    exporter = EXPORTERS[name](snapshot=snapshot)
    rows = list(exporter.rows())
    return export_response(
        request=request, campaign=campaign, exporter=exporter, file_format=file_format, rows=rows
    )


@require_POST
@role_required(Role.FRAMEWORK_EDITOR)
def quality_new_draft(request, code):
    """Published versions never change: flagged items are fixed in a new draft of the
    campaign's version."""
    campaign = get_object_or_404(quality_campaigns_visible_to(request.user), code=code)
    draft = framework_new_draft(framework=campaign.framework)
    messages.success(request, _("Draft version %(version)s created.") % {"version": draft.version})
    return redirect("framework:version", code=draft.code, version=draft.version)
