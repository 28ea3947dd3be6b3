import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lib import contrast

from .roles import Role, roles_of


def navigation_for(user) -> list[tuple[str, str]]:
    """The entries of the main navigation for this user, as (label, url).

    Other apps' pages are reached by URL name only: accounts does not import them.
    """
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    entries = [(_("Home"), reverse("home"))]
    if Role.EMPLOYEE in roles:
        entries.append((_("My assessment"), reverse("assessment:mine")))
    if Role.HR in roles:
        entries.append((_("Campaigns"), reverse("campaigns:list")))
    if Role.REPORT_READER in roles:
        entries.append((_("Reports"), reverse("reports:campaign_list")))
    if Role.HR in roles:
        # One entry: the workspace's own menu (templates/hr/_nav.html) lists its sections,
        # so the header stays on one line at 1366 px.
        entries.append((_("HR workspace"), reverse("hr:home")))
    entries.append((_("Skills framework"), reverse("framework:current")))
    if Role.FRAMEWORK_EDITOR in roles:
        entries.append((_("Instrument quality"), reverse("reports:quality_list")))
        entries.append((_("Framework editing"), reverse("admin:index")))
    if Role.ADMINISTRATOR in roles:
        entries.append((_("Administration"), reverse("admin:index")))
    return entries


# The header holds this many entries on one row at 1366 px in Spanish; a longer navigation
# keeps the first ones and puts the rest in a "More" menu.
NAVIGATION_IN_BAR = 6


def navigation(request) -> dict:
    """The navigation (in the bar, and under "More"), and the roles for templates
    (`{% if "hr" in roles %}`)."""
    entries = navigation_for(request.user)
    shown = entries if len(entries) <= NAVIGATION_IN_BAR else entries[: NAVIGATION_IN_BAR - 1]
    return {
        "navigation": shown,
        "navigation_more": entries[len(shown) :],
        "roles": roles_of(request.user),
    }


def organization_context() -> dict:
    """The organisation's name, logo, contact and colours, from the settings alone.

    It reads nothing from a request, so that the 500 and 400 pages (rendered when the request
    may be what failed) show the same look as every other page. The colours are computed to
    pass WCAG AA whatever ORGANIZATION_COLOR is (lib/contrast.py), once per colour, and so is
    the style sheet of them (`theme`) that every page's head holds.
    """
    colour = (settings.ORGANIZATION_COLOR, settings.ORGANIZATION_DEFAULT_COLOR)
    return {
        "organization": {
            "name": settings.ORGANIZATION_NAME,
            "logo": logo_url(settings.ORGANIZATION_LOGO),
            "contact": settings.ORGANIZATION_CONTACT,
            "colors": dict(_colors(*colour)),
            "theme": _theme(*colour),
        }
    }


@functools.lru_cache(maxsize=16)
def _colors(colour: str, default: str) -> dict:
    brand = contrast.normalised(colour) if contrast.is_hex_colour(colour) else default
    on_brand = contrast.readable_text_on(brand)
    link = contrast.darkened_until_readable(brand)
    return {
        "brand": brand,
        "on_brand": on_brand,
        "brand_pressed": contrast.pressed(brand),
        "brand_is_dark": on_brand == contrast.WHITE,
        "link": link,
        "link_rgb": ", ".join(str(c) for c in contrast.rgb(link)),
        "link_hover": contrast.mixed(link, toward=contrast.BLACK, share=0.2),
        "on_link": contrast.readable_text_on(link),
    }


@functools.lru_cache(maxsize=16)
def _theme(colour: str, default: str) -> str:
    """components/theme.html for these colours: the same text on every page."""
    context = {"organization": {"colors": _colors(colour, default)}}
    return mark_safe(render_to_string("components/theme.html", context))  # noqa: S308 - autoescaped template


def logo_url(logo: str) -> str:
    """A path under the static files, or an address the site serves (starting with `/` or a
    scheme); empty for no logo."""
    if not logo or logo.startswith(("/", "http://", "https://")):
        return logo
    return static(logo)


def organization(request) -> dict:
    return organization_context()
