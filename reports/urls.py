from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IndividualConverter(FormatConverter):
    regex = "answers|scores"


register_converter(FormatConverter, "export_format")
register_converter(IndividualConverter, "individual")

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("packages/<int:pk>/", views.package_job, name="package_job"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
    path("packages/<int:pk>/retry/", views.package_retry, name="package_retry"),
    path("releases/<int:pk>/", views.release_detail, name="release_detail"),
    path("<slug:code>/", views.campaign_overview, name="campaign_overview"),
    path("<slug:code>/releases/", views.release_list, name="release_list"),
    path("<slug:code>/releases/new/", views.release_create, name="release_create"),
    path("<slug:code>/releases/release.csv", views.release_csv, name="release_csv"),
    path(
        "<slug:code>/departments/<slug:department>/",
        views.department_report,
        name="department_report",
    ),
    path(
        "<slug:code>/export/department_report.<export_format:file_format>",
        views.export_department_report,
        name="export_department_report",
    ),
    path(
        "<slug:code>/export/<individual:what>.<export_format:file_format>",
        views.export_individual,
        name="export_individual",
    ),
    path("<slug:code>/package/", views.package_create, name="package_create"),
]
