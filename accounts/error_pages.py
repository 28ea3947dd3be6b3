"""The error pages that Django renders without a request context (400, 500) and the CSRF
refusal, in the site's look and the reader's language.

Django renders 500.html and 400.html with an empty context: no context processors, no user.
These handlers add the organisation from the settings and nothing from the request, because
the request may be what failed (and its path, query or user must not be echoed on a page that
a screenshot may carry). 403 and 404 go through Django's own handlers, with the request's
context processors, to templates/403.html and templates/404.html.
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

from .context_processors import organization_context


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html", organization_context()))


def bad_request(request, exception):
    return HttpResponseBadRequest(render_to_string("400.html", organization_context()))


@requires_csrf_token
def csrf_failure(request, reason=""):
    """The form was refused (expired page, cookies off): the 403 page with what to do."""
    context = {"csrf_failure": True}
    return HttpResponseForbidden(render_to_string("403.html", context, request=request))
