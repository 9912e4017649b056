from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentoring.views import files

urlpatterns = [
    path("", include("mentoring.urls")),
    path("roadmap/", include("roadmap.urls")),
    path("", include("surveys.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("files/<path:name>", files.private_file, name="private-file"),
    path("admin/", admin.site.urls),
]

# 500, or 503 while the database is away; plain pages that need no database.
handler500 = "config.errors.server_error"
