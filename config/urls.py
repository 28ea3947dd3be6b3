from django.contrib import admin
from django.urls import include, path

from accounts.workspace.urls import urlpatterns as accounts_workspace
from diagnostic.campaigns.views import public_privacy_notice
from reports.workspace.urls import urlpatterns as reports_workspace

urlpatterns = [
    path("admin/", admin.site.urls),
    path("a/", include(("diagnostic.assessment.urls", "assessment"))),
    path("c/", include(("diagnostic.assessment.short_urls", "short"))),
    path("campaigns/", include(("diagnostic.campaigns.urls", "campaigns"))),
    path("reports/", include(("reports.urls", "reports"))),
    # HR's workspace: pages of accounts and of reports under one prefix and namespace.
    path("hr/", include((accounts_workspace + reports_workspace, "hr"))),
    # The current privacy notice, open to anyone (the footer of every page links here).
    path("privacy/", public_privacy_notice, name="privacy"),
    path("framework/", include(("diagnostic.framework.urls", "framework"))),
    path("", include("accounts.urls")),
]

# Error pages in the site's look (accounts/error_pages.py); 403 and 404 use Django's handlers
# with templates/403.html and templates/404.html.
handler400 = "accounts.error_pages.bad_request"
handler500 = "accounts.error_pages.server_error"
