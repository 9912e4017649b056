"""The change lists build their rows without Django's per-row machinery
(mentoring/admin/lists.py) and must still print Django's own markup."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.admin.views.main import ChangeList
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse

from mentoring.admin import lists
from mentoring.models import Pair, Person
from tests.factories import ConsentFactory, PersonFactory, UserFactory
from tests.schools import build_school

pytestmark = pytest.mark.django_db


def test_the_persons_list_prints_djangos_checkbox_link_and_icons(client):
    curator = UserFactory(curator=True)
    consented = PersonFactory(organization=curator.organization)
    ConsentFactory(person=consented)
    unconsented = PersonFactory(organization=curator.organization, male=True)
    client.force_login(curator)

    page = client.get(reverse("admin:mentoring_person_changelist")).text

    model_admin = admin.site.get_model_admin(Person)
    for person in (consented, unconsented):
        # What Django's own ModelAdmin.action_checkbox and change link give.
        assert admin.ModelAdmin.action_checkbox(model_admin, person) in page
        change_url = reverse("admin:mentoring_person_change", args=[person.pk])
        assert f'<a href="{change_url}">{person.full_name}</a>' in page
    # One row with a valid consent, one without; neither consents to transfer.
    assert page.count(str(_boolean_icon(True))) == 1
    assert page.count(str(_boolean_icon(False))) == 3


def _djangos_rows(changelist) -> str:
    """The rows as Django's `{% result_list %}` builds them, cell by cell."""
    own_class = type(changelist)
    changelist.__class__ = ChangeList  # Django's url_for_result, a reverse per row
    try:
        context = admin_list.result_list(changelist)
    finally:
        changelist.__class__ = own_class
    return render_to_string("admin/change_list_results.html", context)


def _djangos_page(response) -> str:
    """The page as Django's own admin/change_list.html prints its context."""
    stock = Path(admin.__file__).parent / "templates" / "admin" / "change_list.html"
    template = engines["django"].from_string(stock.read_text())
    return template.render(response.context_data, response.wsgi_request)


def _unmasked(page: str) -> str:
    # Each {% csrf_token %} masks the same secret anew.
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", page)


def test_every_quick_list_prints_the_page_django_would(
    client, django_assert_num_queries, monkeypatch
):
    """Every change list built by our rows, filters and page links, for a
    superuser who sees every column: sorted, so each link carries the
    preserved filters; by one column and by two; filtered; two rows a page,
    so most lists have page links. The whole page must be the one Django's
    own change_list.html prints from the same context. The rows print from
    what the list read: a column outside an admin's `list_only` would cost a
    query per row."""
    school = build_school()
    client.force_login(school.users["superuser"])
    compared = {}  # model -> rows on its first page, sorted, unfiltered
    priorities_shown = paged = filtered = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, lists.QuickListMixin):
            continue
        monkeypatch.setattr(model_admin, "list_per_page", 2)
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        # Sorted by one column, then by two (each header shows its priority),
        # then filtered by the first filter's last choice.
        queries = ["?o=-2", "?o=3.-2"]
        for query in queries:
            response = client.get(url + query)
            assert _unmasked(response.text) == _unmasked(_djangos_page(response)), (
                url + query
            )
            listed = response.context["cl"]
            paged += 'class="end"' in response.text
            filtered += listed.has_active_filters
            if len(queries) == 2 and listed.filter_specs:
                *_others, last = listed.filter_specs[0].choices(listed)
                queries.append(last["query_string"])
            assert response.status_code == 200, url
            changelist = response.context["cl"]
            changelist.get_results(response.wsgi_request)  # the rows read afresh
            changelist.result_list = list(changelist.result_list)
            with django_assert_num_queries(0):
                ours = lists.results_markup(changelist)
            djangos = _djangos_rows(changelist)
            assert ours == djangos, url + query
            # The same context through Django's template prints it too.
            assert ours == render_to_string(
                "admin/change_list_results.html", lists.result_list(changelist)
            )
            # The page prints our rows (a list with no rows prints no table).
            assert ours.strip() in response.text
            priorities_shown = priorities_shown or "sortpriority" in ours
            compared.setdefault(opts.model_name, len(changelist.result_list))
    # Some list was sorted by two columns, its headers numbered; some had
    # page links; some were filtered.
    assert priorities_shown and paged and filtered, (priorities_shown, paged, filtered)
    # The lists of the curator's daily work are among them, with rows.
    rows = compared
    assert rows["person"] >= 2 and rows["pair"] >= 1 and rows["order"] >= 2, compared
    assert sum(1 for n in compared.values() if n) >= 15, compared


def test_the_action_form_prints_djangos_markup_for_each_set_of_choices():
    def rendered(form_class, choices):
        form = form_class(auto_id=None)
        form.fields["action"].choices = choices
        return [str(field) for field in form]

    first = [("", "---------"), ("delete_selected", "Удалить выбранные")]
    second = [("", "---------"), ("complete", "Завершить")]
    for choices in (first, second, first):
        # Rendered again from what was kept, still Django's markup.
        assert rendered(lists.QuickActionForm, choices) == rendered(
            helpers.ActionForm, choices
        )
    assert rendered(lists.QuickActionForm, first) != rendered(
        lists.QuickActionForm, second
    )


def test_the_pairs_list_names_the_people_the_download_names(client):
    """The list loads its pairs' names by one query (PairAdmin.list_rows);
    the download reads them through the queryset's prefetch."""
    school = build_school()
    client.force_login(school.users["superuser"])
    response = client.get(reverse("admin:mentoring_pair_changelist"))
    model_admin = admin.site.get_model_admin(Pair)
    prefetched = {
        pair.pk: pair for pair in model_admin.get_queryset(response.wsgi_request)
    }
    names = [
        (column(pair), column(prefetched[pair.pk]))
        for pair in response.context["cl"].result_list
        for column in (model_admin.mentors, model_admin.mentees)
    ]
    assert all(listed == downloaded for listed, downloaded in names), names
    assert sum(listed != "—" for listed, _ in names) >= 2, names
