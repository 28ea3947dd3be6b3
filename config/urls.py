from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("a/", include(("diagnostic.assessment.urls", "assessment"))),
    path("c/", include(("diagnostic.assessment.short_urls", "short"))),
    path("campaigns/", include(("diagnostic.campaigns.urls", "campaigns"))),
    path("reports/", include(("reports.urls", "reports"))),
    path("framework/", include(("diagnostic.framework.urls", "framework"))),
    path("", include("accounts.urls")),
]
