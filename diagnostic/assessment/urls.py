"""The respondent's pages, reached through an invitation link (/a/<token>/) or "My assessments"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/privacy/", views.privacy, name="privacy"),
    path("<str:token>/declined/", views.declined, name="declined"),
    path("<str:token>/area/<str:code>/", views.area, name="area"),
    path("<str:token>/save/", views.save, name="save"),
    path("<str:token>/review/", views.review, name="review"),
    path("<str:token>/submit/", views.submit, name="submit"),
    path("<str:token>/results/", views.results, name="results"),
    path("<str:token>/code/", views.code, name="code"),
    path("<str:token>/code/new/", views.new_code, name="new_code"),
    path("<str:token>/download/<str:what>/", views.download, name="download"),
]
