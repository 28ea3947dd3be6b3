from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from diagnostic.assessment.results import register_results_section

        from .plan.offerings import results_offerings

        register_results_section(results_offerings)
