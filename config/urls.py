from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("a/", include(("diagnostic.urls_assessment", "assessment"))),
    path("campaigns/", include(("diagnostic.urls_campaigns", "campaigns"))),
    path("reports/", include(("reports.urls", "reports"))),
    path("framework/", include("diagnostic.framework_urls")),
    path("", include("accounts.urls")),
]
