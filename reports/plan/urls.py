from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("catalogue/", views.catalogue, name="plan_catalogue"),
    path("catalogue/template.xlsx", views.catalogue_template, name="plan_catalogue_template"),
    path("catalogue/import/", views.catalogue_upload, name="plan_catalogue_upload"),
    path("catalogue/offering/<str:offering>/", views.offering_edit, name="plan_offering_edit"),
    path("catalogue/import/confirm/", views.catalogue_confirm, name="plan_catalogue_confirm"),
    path("<slug:code>/", views.plan_detail, name="plan_detail"),
    path("<slug:code>/departments/", views.plan_for_departments, name="plan_for_departments"),
    path("<slug:code>/progress/<slug:campaign>/", views.plan_progress, name="plan_progress"),
    path("<slug:code>/committee/", views.plan_committee, name="plan_committee"),
    path("<slug:code>/budget/", views.plan_budget, name="plan_budget"),
    path("<slug:code>/choice/", views.plan_choice, name="plan_choice"),
    path("<slug:code>/approve/", views.plan_approve, name="plan_approve"),
    path("<slug:code>/plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("<slug:code>/enrolments/", views.plan_enrolments, name="plan_enrolments"),
    path(
        "<slug:code>/enrolments/import/",
        views.plan_enrolments_import,
        name="plan_enrolments_import",
    ),
    path("<slug:code>/named_list.csv", views.plan_named_list, name="plan_named_list"),
]
