from django.urls import path

from . import framework_views as views

urlpatterns = [
    path("", views.framework_current, name="framework"),
    path("<slug:code>/<int:version>/", views.framework_version, name="framework_version"),
    path(
        "<slug:code>/<int:version>/publish/",
        views.framework_publish_view,
        name="framework_publish",
    ),
]
