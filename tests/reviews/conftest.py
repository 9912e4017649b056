import pytest

from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def school():
    return OrganizationFactory(short_name="Гимназия № 1")


@pytest.fixture
def curator(school):
    return UserFactory(
        curator=True,
        organization=school,
        email="kurator@example.ru",
        first_name="Анна",
        last_name="Куратова",
    )


@pytest.fixture
def methodologist(school):
    return UserFactory(
        methodologist=True,
        district=school.district,
        email="metodist@example.ru",
        first_name="Мария",
        last_name="Методистова",
    )


@pytest.fixture
def stranger():
    """The methodologist of another district."""
    return UserFactory(methodologist=True, email="chuzhoi@example.ru")
