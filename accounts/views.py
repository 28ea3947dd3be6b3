from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views import i18n as i18n_views

from lib.ratelimit import add_attempt, client_address

from .audit import record
from .forms import EmailAuthenticationForm
from .models import AuditEvent, Department, Employee
from .roles import is_hr

RESET_REQUESTS = "reset-requests-address"


@login_required
def home(request):
    departments = Department.objects.visible_to(request.user)
    context = {
        "is_hr": is_hr(request.user),
        "employee": Employee.objects.visible_to(request.user).filter(user=request.user).first(),
        "managed_departments": request.user.managed_departments.order_by("path"),
        "department_count": departments.count(),
    }
    return render(request, "accounts/home.html", context)


def set_language(request):
    """Django's language switch, which also remembers the choice on the user's account."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            if chosen != user.language:
                user.language = chosen
                user.save(update_fields=["language"])
        else:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per client address (`PASSWORD_RESETS_PER_HOUR`): every request
    may send an e-mail, so unlimited ones would flood a mailbox or probe the roster. Refused
    requests count too; only the first refusal of an hour is audited, so a flood does not
    fill the log."""

    def post(self, request, *args, **kwargs):
        limit = settings.PASSWORD_RESETS_PER_HOUR
        count = add_attempt(scope=RESET_REQUESTS, key=client_address(request) or "unknown")
        if count <= limit:
            return super().post(request, *args, **kwargs)
        if count == limit + 1:
            record(action=AuditEvent.Action.RATE_LIMITED, request=request, what="password reset")
        return render(request, "registration/password_reset_limited.html", status=429)
