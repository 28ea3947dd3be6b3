"""Domain errors. Every one derives from `DiagnosticError` and carries `messages`: what the
person who caused it reads, each a translatable string that says what and where ("competency C2,
question C2-K1: two options marked correct"). Views, the admin and management commands render
`messages` the same way (`error_lines` below); tests assert on the class name."""

from django.utils.translation import gettext_lazy as _


class DiagnosticError(Exception):
    """Base of every domain error; `messages` lists what to tell the user, in their language."""

    message = _("The operation could not be completed.")

    def __init__(self, *messages):
        self.messages = list(messages) or [self.message]
        self.message = self.messages[0]
        super().__init__("\n".join(str(m) for m in self.messages))


class FrameworkError(DiagnosticError):
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
        super().__init__(message)


class FrameworkValidationError(FrameworkError):
    """A framework document broke one or more rules; `errors` lists them all, each saying
    where ("competency C2, question C2-K1: two options marked correct")."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(*self.errors)


class FrameworkVersionConflictError(FrameworkError):
    """A file differs from the published version of the same code and version."""

    def __init__(self, *, code: str, version: int):
        self.code = code
        self.version = version
        super().__init__(
            _(
                "Framework %(code)s version %(version)s is already published with different "
                "content. Published versions never change: raise the version number in the "
                "file to load it as a new version."
            )
            % {"code": code, "version": version}
        )


class FrameworkStateError(FrameworkError):
    """An operation that needs a draft (or a published version) got the other."""


class AssessmentError(DiagnosticError):
    """Base of the questionnaire's domain errors; `message` is shown to the respondent."""

    message = _("This request cannot be completed.")


class InvitationNotFoundError(AssessmentError):
    message = _("This assessment link is not valid. Check that you copied the whole link.")


class EmployeeInactiveError(AssessmentError):
    message = _(
        "This link belongs to a person who is no longer on the active staff list. "
        "If you think this is a mistake, contact Human Resources."
    )


class CampaignNotOpenError(AssessmentError):
    message = _(
        "This assessment is not open. Answers can only be given between its opening and "
        "closing dates; any answers you already gave are kept."
    )


class PrivacyNoticeNotAcceptedError(AssessmentError):
    message = _("Please read and accept the privacy notice before answering.")


class AlreadySubmittedError(AssessmentError):
    message = _("Your answers were already submitted and can no longer be changed.")


class TooManyAttemptsError(AssessmentError):
    message = _(
        "Too many links or results codes that did not work were tried from this connection. "
        "For your security, wait an hour and try again; if you need help, contact Human "
        "Resources."
    )


class NotSubmittedError(AssessmentError):
    message = _("These answers have not been submitted yet, so they have no results code.")


class ResultsCodeEmployeeNotFoundError(DiagnosticError):
    """HR asked for a new results code for an employee number nobody invited to the campaign."""

    def __init__(self, employee_number: str = ""):
        super().__init__(
            _(
                "Employee number %(number)s: nobody with this number was invited to this "
                "campaign. Check the number on the roster."
            )
            % {"number": employee_number}
        )


class ResultsCodeNotSubmittedError(DiagnosticError):
    """HR asked for a new results code for an employee who has not submitted."""

    def __init__(self, employee_number: str = ""):
        super().__init__(
            _(
                "Employee number %(number)s has not submitted answers to this campaign, so "
                "there is no results code to replace."
            )
            % {"number": employee_number}
        )


class InvalidAnswerError(AssessmentError):
    """A posted answer that does not fit its question; nothing of the post was written."""


class FrameworkNotPublishedError(DiagnosticError):
    message = _("Only a published framework version can be used in a campaign.")


class FrameworkLockedError(DiagnosticError):
    message = _("The framework version cannot be changed once the campaign is launched.")


class PopulationLockedError(DiagnosticError):
    message = _("The population and dates cannot be changed once the campaign is launched.")


class ThresholdTooLowError(DiagnosticError):
    message = _("The anonymity threshold cannot be lower than 3.")


class ThresholdLoweredError(DiagnosticError):
    message = _(
        "The anonymity threshold cannot be lowered once anyone has started answering: they "
        "answer on the promise that groups smaller than it show nothing. It can still be raised."
    )


class CampaignEndedError(DiagnosticError):
    message = _("The campaign's closing date has passed; extend it first.")


class CampaignNotLaunchedError(DiagnosticError):
    message = _("The campaign has not been launched.")


class CampaignAlreadyClosedError(DiagnosticError):
    message = _("The campaign is already closed.")


class ExtensionNotLaterError(DiagnosticError):
    message = _("The new closing date must be later than the current one.")


class NoPrivacyNoticeError(DiagnosticError):
    message = _("There is no privacy notice yet; create one before launching.")


class EmptyPopulationError(DiagnosticError):
    message = _("Nobody active works in the chosen departments.")


MAX_LINES = 20


def error_lines(error: DiagnosticError, *, limit: int = MAX_LINES) -> list[str]:
    """The lines to show for `error`, in the current language: its messages, at most `limit`,
    and a last line that says how many more there were. Views, the admin and commands all
    render a domain error through this."""
    lines = [str(m) for m in error.messages]
    if len(lines) > limit:
        more = len(lines) - limit
        lines = lines[:limit] + [str(_("… and %(count)s more.") % {"count": more})]
    return lines
