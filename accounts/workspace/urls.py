"""HR's workspace pages kept by accounts; config/urls.py mounts them under /hr/ (namespace
`hr`) beside those of reports."""

from django.urls import path

from . import views

urlpatterns = [
    path("roster/", views.roster_list, name="roster"),
    path("departments/", views.departments, name="departments"),
    path("audit/", views.audit_log, name="audit_log"),
]
