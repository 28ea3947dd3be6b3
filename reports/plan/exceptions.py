"""The plan's domain errors: each carries `messages` that say what and where."""

from django.utils.translation import gettext_lazy as _

from diagnostic.exceptions import DiagnosticError


class PlanError(DiagnosticError):
    """Base of every workforce-plan error."""


class PlanFrozenError(PlanError):
    message = _("This plan is approved: its figures, prices and choices no longer change.")


class CatalogueImportError(PlanError):
    """A catalogue file was refused; `messages` name the row (as Excel numbers it) and column.
    Nothing was written."""


class OfferingFrozenError(PlanError):
    message = _(
        "This offering is used by an approved plan and cannot change; a new price or content "
        "makes a new version of it."
    )


class PlanCampaignOpenError(PlanError):
    message = _(
        "This plan's campaign is still open, so its figures can still move: approve the plan "
        "once the campaign has closed."
    )
