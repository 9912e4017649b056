"""Setting a password by a one-time invitation: a mailed link, or the login
and code from a printed slip (services/logins.py issues them)."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mentoring import services, throttle
from mentoring.forms import InvitationCodeForm
from mentoring.models import Role

# The code leaves the address bar before the form is shown, as in Django's
# password reset: the page's links and scripts never see it in a Referer.
SESSION_KEY = "_invitation_code"


def _refused(request, error: ValidationError):
    status = 404 if error.code == "unknown" else 410
    return render(
        request,
        "registration/invitation_refused.html",
        {"message": error.messages[0]},
        status=status,
    )


@never_cache
def invitation(request, code):
    try:
        services.open_invitation(code=code)
    except ValidationError as error:
        return _refused(request, error)
    request.session[SESSION_KEY] = code
    return redirect("mentoring:invitation-password")


@never_cache
@sensitive_post_parameters("code")
def invitation_code(request):
    form = InvitationCodeForm(request.POST or None)
    if form.is_valid():
        login_name = form.cleaned_data["login"].strip().lower()
        if throttle.is_locked_out(request, username=login_name):
            return throttle.lockout_response(request)
        try:
            services.open_invitation(
                code=form.cleaned_data["code"], login=form.cleaned_data["login"]
            )
        except ValidationError as error:
            if error.code == "unknown":
                throttle.refused_guess(request, username=login_name)
            form.add_error(None, error)
        else:
            request.session[SESSION_KEY] = form.cleaned_data["code"]
            return redirect("mentoring:invitation-password")
    return render(request, "registration/invitation_code.html", {"form": form})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_password(request):
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("mentoring:invitation-code")
    try:
        opened = services.open_invitation(code=code)
    except ValidationError as error:
        return _refused(request, error)
    user = opened.user
    form = SetPasswordForm(user, request.POST or None)
    if form.is_valid():
        try:
            user = services.accept_invitation(
                code=code, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            return _refused(request, error)
        del request.session[SESSION_KEY]
        # The code was checked, not a password: the axes backend first in
        # AUTHENTICATION_BACKENDS authenticates no one, so name the real one.
        login(request, user, backend="mentoring.permissions.RoleBackend")
        return redirect(_start_page(user))
    return render(
        request,
        "registration/invitation_password.html",
        {"form": form, "username": user.username},
    )


def _start_page(user) -> str:
    # Participants start at their own page; it belongs to the surveys app,
    # so the core names it by URL name and falls back to the home page.
    if user.role == Role.PARTICIPANT:
        try:
            return reverse("surveys:dashboard")
        except NoReverseMatch:
            pass
    return reverse("mentoring:home")
