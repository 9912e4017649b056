"""The demo gymnasium comes with preferences and a matching run to review."""

import pytest
from django.urls import reverse

from mentoring.models import MatchingRun, Pair, Preference, User
from tests.mentoring.test_demo_data import demo, demo_output  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_the_demo_school_has_a_run_on_review_and_one_mentee_left_with_a_reason(
    demo,  # noqa: F811
    client,
):
    run = MatchingRun.objects.get(organization=demo)
    assert run.status == MatchingRun.Status.REVIEW
    assert Preference.objects.filter(chooser__organization=demo).count() == 10
    assert not Pair.objects.filter(
        organization=demo, participations__person__in=run.suggestions.values("mentee")
    ).exists()
    client.force_login(User.objects.get(username="kurator"))
    page = client.get(reverse("mentoring:matching-run", args=[run.pk]))
    assert "наставляемый выбрал этого наставника первым" in page.text
    client.force_login(User.objects.get(username="psiholog"))
    home = client.get(reverse("mentoring:home"))
    assert "Подбор: подходящих наставников (1) не хватило" in home.text
