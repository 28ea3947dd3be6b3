from django.urls import include, path, register_converter

from . import views
from .quality import views as quality


class FormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IndividualConverter(FormatConverter):
    regex = "answers|scores"


class SpreadsheetConverter(FormatConverter):
    regex = "csv|xlsx"


class QualityFileConverter(FormatConverter):
    regex = "reliability|items"


register_converter(FormatConverter, "export_format")
register_converter(IndividualConverter, "individual")
register_converter(SpreadsheetConverter, "spreadsheet")
register_converter(QualityFileConverter, "quality_file")


class FeedFormatConverter(FormatConverter):
    regex = "csv|json"


register_converter(FeedFormatConverter, "feed_format")

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("packages/<int:pk>/", views.package_job, name="package_job"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
    path("packages/<int:pk>/retry/", views.package_retry, name="package_retry"),
    path("releases/<int:pk>/", views.release_detail, name="release_detail"),
    path("quality/", quality.quality_list, name="quality_list"),
    path("plans/", include("reports.plan.urls")),
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
    # The live feed (reports/feed.py): a stable URL per campaign, read with a feed token.
    path("<slug:code>/feed.<feed_format:file_format>", views.feed, name="feed"),
    path("<slug:code>/quality/", quality.quality_detail, name="quality"),
    path("<slug:code>/quality/compute/", quality.quality_compute, name="quality_compute"),
    path("<slug:code>/quality/draft/", quality.quality_new_draft, name="quality_new_draft"),
    path(
        "<slug:code>/quality/<quality_file:name>.<spreadsheet:file_format>",
        quality.quality_download,
        name="quality_download",
    ),
]
