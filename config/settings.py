"""Settings for «Наставник», read from the environment.

Defaults are safe for production: DEBUG is off, cookies are secure, HTTPS is
enforced. Local commands (make run / make test) set the variables they need.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false), got {value!r}"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} must be an integer, got {value!r}"
        ) from error


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (a long random string).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "Set DATABASE_URL, e.g. postgres://user:password@host:5432/nastavnik "
        "(make run and make test start a private cluster and set it for you)."
    )
DATABASES = {
    "default": dj_database_url.config(conn_max_age=env_int("CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "«Наставник» runs on PostgreSQL only: DATABASE_URL must be postgres://…"
    )
# The site recovers on its own after a database outage (it answers 503
# meanwhile, config/errors.py): a kept connection is checked before its next
# use and a failed one is closed at the end of its request. A database that
# does not answer at all (a lost network) fails the request after
# DATABASE_CONNECT_TIMEOUT seconds instead of holding a worker.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
)

INSTALLED_APPS = [
    # Django's admin with its app list built on demand (issue 15).
    "mentoring.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    # Checks the CSP settings' shape (django-csp 4.0).
    "csp",
    "mentoring",
    "roadmap",
    "surveys",
    # Issue 14, review: экспертиза of the schools' programs and roadmaps.
    "reviews",
    # Issue 14, regions: the regional centre's table of districts.
    "regions",
    # District events for mentors (issue 14, item 5).
    "events",
    # Issue 14 (public): each organization's public mentoring page.
    "public",
    # Issue 14 (report): the school's report to the municipality.
    "reports",
    # Issue 14: the district's workspace (pilots, the table of organizations).
    "district",
    "demo",
    # django-axes: failed logins and lockouts, shown in the admin in Russian.
    "config.apps.LoginLogConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer, error pages included (issue 12).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews an idle session at most once a minute (issue 15).
    "config.middleware.IdleSessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a lockout flagged during the view into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "mentoring.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "mentoring.permissions.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "mentoring:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: login throttling, password reset and idle sessions (issue 12).
# Five failures lock the login for a quarter of an hour. Counted per login
# *and* address together: a school's classrooms share one address, so an
# address alone would lock out every child of the school, and a login alone
# would let anyone lock out a director from anywhere.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "mentoring.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mentoring.throttle.client_ip"
# Reverse proxies in front of the app that append the client's address to
# X-Forwarded-For (nginx: 1). 0 trusts only the connection's own address.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# Each failure stays in the admin's log, not only the count a lockout expires.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# A right password clears the count: earlier typos do not add to later ones.
AXES_RESET_ON_SUCCESS = True
# A reset link works once (the password it sets spoils it) and for two hours.
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
# Django's database sessions, read without the ORM (config/sessions.py).
SESSION_ENGINE = "config.sessions"
# A session ends after this many idle minutes: a request renews it, at most
# once a minute (config/middleware.py), which spares most pages a write.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
if SESSION_COOKIE_AGE <= 0:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be a positive number.")
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60)
if not 0 <= SESSION_RENEW_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        "SESSION_RENEW_SECONDS must be from 0 (every request) to under the idle period."
    )

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
# Our Russian for the admin's messages built around a model's name (see the .po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Dates print as ДД.ММ.ГГГГ everywhere (config/formats/ru/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are personal data: served only through mentoring.views.files, never
# by the web server directly (see README, «Production»).
MEDIA_URL = "/files/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("STATIC_MANIFEST", True)
            else "config.storage.StaticFilesStorage"
        )
    },
}
# Request bodies kept in memory; larger uploads stream to a temporary file.
# The size of a scan itself is limited by its model field's validator.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Issue 12 (inputhard): uploads and the documents we store (signed orders)
# are personal data, readable by the application's user only; the storage
# applies these to every file it writes, uploaded or rendered.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail, reminders and batches of documents run as tasks; `manage.py db_worker`
# runs them from the database on one machine (DESIGN.md §4). `make run` has no
# worker: with DEBUG tasks run at once, so mail shows on the console.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Наставник <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in mail need the site's address, e.g. https://nastavnik.example.ru
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Behind a reverse proxy that terminates TLS (DESIGN.md §4).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload binds the whole domain and its subdomains to HTTPS for
    # months; a school on a shared regional domain may not be able to promise
    # that, so it stays opt-in (SECURE_HSTS_PRELOAD=1).
    "security.W021",
]

# Content-Security-Policy (issue 12): scripts, styles, fonts and frames only
# from this site, no inline scripts or styles (no <script> without src, no
# on…="", no style="", no <style>): a script slipped into a name or a comment
# does not run. The admin too: Django's admin has no inline scripts, Select2
# styles through the DOM, and the one <style> Django writes (a change list
# with actions_on_top and actions_on_bottom both off) is not used here.
# Framing stays with X-Frame-Options (DENY; the director's PDF preview is
# allowed SAMEORIGIN by its view): frame-ancestors would override it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Bootstrap draws its icons (the menu button, select arrows) as data: SVG.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each layout step at INFO; only its problems matter.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- The data's life (issue 12, datalife) ---
# Personal data are destroyed within 30 days of a withdrawal or of the end of
# the purpose (152-ФЗ ст. 21 ч. 4-5); a school may choose a shorter term.
PERSONAL_DATA_DESTRUCTION_DAYS = env_int("PERSONAL_DATA_DESTRUCTION_DAYS", 30)
if not 0 <= PERSONAL_DATA_DESTRUCTION_DAYS <= 30:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_DESTRUCTION_DAYS must be 0..30 (152-ФЗ ст. 21 ч. 5)."
    )
