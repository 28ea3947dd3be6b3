"""Domain errors of accounts. As in `diagnostic.exceptions`: every one carries `messages`, what
the person who caused it reads, each a translatable string that says what and where (file, row,
column); views, the admin and management commands show them the same way. Tests assert on the
class name."""

from django.utils.translation import gettext_lazy as _


class AccountsError(Exception):
    """Base of every accounts error; `messages` lists what to tell the user, in their language."""

    message = _("The operation could not be completed.")

    def __init__(self, *messages):
        self.messages = list(messages) or [self.message]
        self.message = self.messages[0]
        super().__init__("\n".join(str(m) for m in self.messages))


class ImportFileError(AccountsError):
    """A roster or department file that cannot be read at all: too big, empty, not a
    spreadsheet, a zip bomb, no header row, a required column missing."""


class ImportRefused(AccountsError):
    """A file that was read but holds rows that cannot be imported; nothing was written."""
