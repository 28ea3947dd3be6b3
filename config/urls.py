from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("a/", include(("diagnostic.urls_assessment", "assessment"))),
    path("", include("accounts.urls")),
    path("framework/", include("diagnostic.framework_urls")),
]
