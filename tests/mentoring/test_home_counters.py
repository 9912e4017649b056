"""Every number on a home page is a link to the list it counts, and that list
shows the same number of rows."""

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory
from tests.mentoring.home_data import fill_school, staff_user


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "cl" in context:  # an admin changelist
        return context["cl"].result_count
    if "awaiting" in context:  # the director's orders
        return len(context["awaiting"])
    return context["total"]  # the mentees to support


def _numbers(context) -> list[tuple[str, int, str]]:
    rows = [(c["label"], c["value"], c["url"]) for c in context["counters"]]
    rows += [(t["text"], t["count"], t["url"]) for t in context["today"]]
    rows += [(s["label"], s["value"], s["url"]) for s in context["pair_statuses"]]
    rows.append(("badge", context["unpaired_count"], context["support_url"]))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["curator", "director", "psychologist", "methodologist"]
)
def test_each_counter_links_to_the_list_it_counts(client, role):
    organization = OrganizationFactory()
    fill_school(organization, 3)
    fill_school(OrganizationFactory(), 1)  # another district's school
    user = staff_user(role, organization)
    client.force_login(user)
    response = client.get(reverse("mentoring:home"))
    page = response.content.decode()

    numbers = _numbers(response.context)
    assert numbers
    for label, value, url in numbers:
        assert f'href="{url}"'.replace("&", "&amp;") in page, label
        assert _listed(client, url) == value, label
    if user.is_staff:
        assert all("/admin/" in url for _, _, url in numbers)
    else:
        # No back office for them: their counters lead to the site's pages.
        assert not any("/admin/" in url for _, _, url in numbers)


@pytest.mark.django_db
def test_the_methodologist_counts_over_her_district(client):
    first, second = OrganizationFactory(), OrganizationFactory()
    second.district = first.district
    second.save()
    fill_school(first, 1)
    fill_school(second, 2)
    client.force_login(staff_user("methodologist", first))
    response = client.get(reverse("mentoring:home"))

    counters = {c["label"]: c for c in response.context["counters"]}
    # Per school and n: a draft, an active and a suspended pair, and the
    # pair of a meeting; n is 1 and 2.
    assert counters["Пар и групп"]["value"] == 12
    assert counters["Пар и групп"]["url"] == reverse("admin:mentoring_pair_changelist")
