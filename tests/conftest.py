import pytest
from django.conf import settings as django_settings
from django.test.utils import override_settings


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    # Tests speak plain HTTP to the test client and the live server, whatever
    # production-safe defaults the environment leaves on. Set before the live
    # server builds its middleware, which reads these once.
    django_settings.SECURE_SSL_REDIRECT = False
    django_settings.SESSION_COOKIE_SECURE = False
    django_settings.CSRF_COOKIE_SECURE = False
    django_settings.SECURE_HSTS_SECONDS = 0


# The longest files, started first: on two processes (`make test`) a file
# stays whole on one, and the permission matrix (about three minutes) taken
# last would leave the other process idle to the end.
FIRST = ("tests/test_permission_matrix.py", "tests/test_content_security_policy.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(FIRST))


@pytest.fixture(scope="session", autouse=True)
def _media_of_this_process(tmp_path_factory):
    # Stored files go to a folder of this test process, not the checkout's
    # media/: `make test` runs two processes (pytest-xdist), and a test that
    # sweeps or counts stored files must not see the other one's.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _fast_tests_with_plain_static(settings):
    # A real hasher costs ~0.2 s per user; tests need a hash, not its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs collectstatic; tests use the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _forms_catalogue(request):
    if request.node.get_closest_marker("django_db") is not None:
        from tests.factories import ensure_catalogue

        ensure_catalogue()


@pytest.fixture(autouse=True)
def _tasks_run_when_queued(settings):
    # Tasks queued on commit run there and then, so a test sees their effect
    # (mail.outbox) once its on_commit callbacks run. The real queue, its
    # worker and retries are tested with the database backend
    # (tests/mentoring/test_mail_failures.py).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
