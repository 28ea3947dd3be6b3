"""The skills framework's domain errors. Callers (admin, commands, views, imports) catch these
by name and show their message; the message says what and where."""

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
