"""Domain errors of the diagnostic: each carries the message a user is shown."""

from django.utils.translation import gettext_lazy as _


class DiagnosticError(Exception):
    message = _("The operation could not be completed.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class FrameworkNotPublished(DiagnosticError):
    message = _("Only a published framework version can be used in a campaign.")


class FrameworkLocked(DiagnosticError):
    message = _("The framework version cannot be changed once the campaign is launched.")


class PopulationLocked(DiagnosticError):
    message = _("The population and dates cannot be changed once the campaign is launched.")


class ThresholdTooLow(DiagnosticError):
    message = _("The anonymity threshold cannot be lower than 3.")


class CampaignEnded(DiagnosticError):
    message = _("The campaign's closing date has passed; extend it first.")


class CampaignNotLaunched(DiagnosticError):
    message = _("The campaign has not been launched.")


class CampaignAlreadyClosed(DiagnosticError):
    message = _("The campaign is already closed.")


class ExtensionNotLater(DiagnosticError):
    message = _("The new closing date must be later than the current one.")


class NoPrivacyNotice(DiagnosticError):
    message = _("There is no privacy notice yet; create one before launching.")


class EmptyPopulation(DiagnosticError):
    message = _("Nobody active works in the chosen departments.")
