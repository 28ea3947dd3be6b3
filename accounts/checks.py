"""System checks on the organisation's settings: mistakes shown by `manage.py check` and at
start-up, instead of a page that silently looks wrong."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Warning, register

from lib.contrast import is_hex_colour


@register()
def organization_settings(app_configs, **kwargs) -> list[Warning]:
    problems = []
    if not is_hex_colour(settings.ORGANIZATION_COLOR):
        problems.append(
            Warning(
                f"ORGANIZATION_COLOR {settings.ORGANIZATION_COLOR!r} is not a colour written as "
                f"#rrggbb or #rgb; the site uses {settings.ORGANIZATION_DEFAULT_COLOR}.",
                id="accounts.W001",
            )
        )
    logo = settings.ORGANIZATION_LOGO
    if logo and not logo.startswith(("/", "http://", "https://")) and not finders.find(logo):
        problems.append(
            Warning(
                f"ORGANIZATION_LOGO {logo!r} is not a file among the static files.",
                hint="Put the logo in static/ and give its path below static/, e.g. img/logo.svg.",
                id="accounts.W002",
            )
        )
    return problems
