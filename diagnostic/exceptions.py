"""Errors of the questionnaire, each with the message the person who caused it reads."""

from django.utils.translation import gettext_lazy as _


class AssessmentError(Exception):
    """Base of the questionnaire's domain errors; `message` is shown to the respondent."""

    message = _("This request cannot be completed.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


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
