"""The short address printed on QR cards: /c/ to type a code, /c/<code>/ to open it."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.short_entry, name="entry"),
    path("<str:code>/", views.short_open, name="open"),
]
