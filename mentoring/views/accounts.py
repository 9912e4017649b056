"""A user's own password: changed when logged in, reset by a mailed link.

Django's views do the work; these add the audit entry, our letter, and
Russian pages under names of their own, so the admin's pages stay its own.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from mentoring import services
from mentoring.forms import PasswordResetByMailForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_set(user=form.user, by_mail=False)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetByMailForm
    template_name = "registration/password_reset_request.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_new.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_set(user=form.user, by_mail=True)
        # Whoever reads the owner's mail is the owner: a lockout earned by
        # the forgotten password no longer stands in the way of the new one.
        AxesProxyHandler.reset_attempts(username=form.user.username)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_finished.html"
