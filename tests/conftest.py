import pytest


@pytest.fixture(autouse=True)
def _plain_static_and_http(settings):
    # Manifest storage needs collectstatic; tests talk plain HTTP to the test server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
