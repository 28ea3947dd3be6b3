from django.urls import path

from . import views

urlpatterns = [
    path("", views.framework_current, name="current"),
    path("<slug:code>/<int:version>/", views.framework_version, name="version"),
    path(
        "<slug:code>/<int:version>/publish/",
        views.framework_publish_view,
        name="publish",
    ),
]
