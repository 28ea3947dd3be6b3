from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/recheck/", views.recheck, name="recheck"),
    path("template/<slug:kind>.xlsx", views.template, name="template"),
]
