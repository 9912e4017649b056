"""`manage.py check --deploy` with the production environment.

The environment is the production one (tests/mentoring/test_settings.py):
DEBUG off, secure cookies, HTTPS redirect and HSTS by default. Weakening any
of them from the environment is caught by the same check.
"""

import pytest

from tests.mentoring.test_settings import manage, production_env


def test_deploy_check_is_clean_with_the_production_environment():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        pytest.param({"DEBUG": "1"}, "security.W018", id="debug"),
        pytest.param({"SECURE_HSTS_SECONDS": "0"}, "security.W004", id="no-hsts"),
        pytest.param(
            {"SESSION_COOKIE_SECURE": "0"}, "security.W012", id="session-cookie"
        ),
    ],
)
def test_deploy_check_catches_a_weakened_production_environment(overrides, warning):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(**overrides),
    )

    assert result.returncode != 0
    assert warning in result.stderr
