"""Domain errors, each with the message the person who caused it reads: the skills
framework's (what and where in a file or version) and the questionnaire's."""

from django.utils.translation import gettext_lazy as _


class FrameworkError(Exception):
    """Base of every skills-framework error."""


class PublishedFrameworkError(FrameworkError):
    """A published (or retired) framework version was about to change."""

    def __init__(self, framework_label: str = ""):
        self.framework_label = framework_label
        if framework_label:
            message = _(
                "%(framework)s is published and cannot change; make a new draft from it instead."
            ) % {"framework": framework_label}
        else:
            message = _(
                "A published framework version cannot change; make a new draft from it instead."
            )
        super().__init__(str(message))


class FrameworkValidationError(FrameworkError):
    """A framework document broke one or more rules; `errors` lists them all, each saying
    where ("competency C2, question C2-K1: two options marked correct")."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class FrameworkVersionConflictError(FrameworkError):
    """A file differs from the published version of the same code and version."""

    def __init__(self, *, code: str, version: int):
        self.code = code
        self.version = version
        super().__init__(
            str(
                _(
                    "Framework %(code)s version %(version)s is already published with different "
                    "content. Published versions never change: raise the version number in the "
                    "file to load it as a new version."
                )
                % {"code": code, "version": version}
            )
        )


class FrameworkStateError(FrameworkError):
    """An operation that needs a draft (or a published version) got the other."""


class DiagnosticError(Exception):
    """Base of the campaigns' and the questionnaire's errors; `message` is shown to the user."""

    message = _("The operation could not be completed.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class AssessmentError(DiagnosticError):
    """Base of the questionnaire's domain errors; `message` is shown to the respondent."""

    message = _("This request cannot be completed.")


class InvitationNotFound(AssessmentError):
    message = _("This assessment link is not valid. Check that you copied the whole link.")


class EmployeeInactive(AssessmentError):
    message = _(
        "This link belongs to a person who is no longer on the active staff list. "
        "If you think this is a mistake, contact Human Resources."
    )


class CampaignNotOpen(AssessmentError):
    message = _(
        "This assessment is not open. Answers can only be given between its opening and "
        "closing dates; any answers you already gave are kept."
    )


class PrivacyNoticeNotAccepted(AssessmentError):
    message = _("Please read and accept the privacy notice before answering.")


class AlreadySubmitted(AssessmentError):
    message = _("Your answers were already submitted and can no longer be changed.")


class InvalidAnswer(AssessmentError):
    """A posted answer that does not fit its question; nothing of the post was written."""


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
