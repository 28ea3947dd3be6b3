from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("privacy-notice/", views.privacy_notice, name="privacy_notice"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/launch/", views.campaign_launch, name="launch"),
    path("<int:pk>/progress/", views.launch_progress, name="progress"),
    path("<int:pk>/close/", views.campaign_close, name="close"),
    path("<int:pk>/extend/", views.campaign_extend, name="extend"),
    path("<int:pk>/sheet/", views.links_sheet, name="sheet"),
    path("<int:pk>/links.csv", views.links_csv, name="links_csv"),
    path("<int:pk>/results-code/", views.results_code, name="results_code"),
]
