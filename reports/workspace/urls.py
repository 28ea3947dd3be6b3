"""HR's workspace pages kept by reports; config/urls.py mounts them under /hr/ (namespace
`hr`) beside those of accounts."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("exports/", views.exports, name="exports"),
    path("feed/", views.feed_tokens, name="feed_tokens"),
    path("feed/new/", views.feed_token_create, name="feed_token_create"),
    path("feed/<int:pk>/revoke/", views.feed_token_revoke, name="feed_token_revoke"),
    path("arco/", views.arco_list, name="arco_list"),
    path("arco/new/", views.arco_create, name="arco_create"),
    path("arco/<int:pk>/", views.arco_detail, name="arco_detail"),
    path("arco/<int:pk>/carry-out/", views.arco_carry_out, name="arco_carry_out"),
    path("arco/<int:pk>/download/", views.arco_download, name="arco_download"),
]
