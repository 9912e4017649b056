from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from mentoring.views import accounts, files


class FaviconView(RedirectView):
    # Resolved per request: the hashed name exists only after collectstatic.
    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")


urlpatterns = [
    path("", include("mentoring.urls")),
    path("roadmap/", include("roadmap.urls")),
    # Issue 14, review.
    path("reviews/", include("reviews.urls")),
    # Issue 14: the district's workspace.
    path("district/", include("district.urls")),
    path("", include("surveys.urls")),
    path("region/", include("regions.urls")),
    # District events for mentors (issue 14, item 5).
    path("events/", include("events.urls")),
    # Issue 14 (public): the mentoring pages anyone may read, without a login.
    path("public/", include("public.urls")),
    # Issue 14 (report).
    path("reports/", include("reports.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        accounts.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    # The admin's login page links its «Забыли пароль?» here by this name.
    path(
        "admin/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "password/reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("files/<path:name>", files.private_file, name="private-file"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path(
        "favicon.ico",
        FaviconView.as_view(),
        name="favicon",
    ),
]

# 500, or 503 while the database is away; plain pages that need no database.
handler500 = "config.errors.server_error"
