from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("campaigns/", include(("diagnostic.urls_campaigns", "campaigns"))),
]
