"""The monitoring page's tables and choices, built in Python
(surveys/monitoring_page.py), are the template's markup byte for byte."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape as django_escape

from mentoring.models import Organization
from surveys.charts import bar_chart, line_chart
from surveys.monitoring_page import escape as rows_escape
from surveys.monitoring_page import (
    figure,
    form_rows,
    organization_options,
    question_delta_rows,
    question_groups,
    year_options,
)
from tests.factories import OrganizationFactory, UserFactory, fill_questionnaire

DJANGO = engines["django"]

# The template's loops before they became Python, each with the line of
# templates/surveys/monitoring.html that prints it now.
LOOPS = {
    "      {{ year_options }}\n": (
        '      {% for y in years %}<option value="{{ y }}"'
        "{% if y == period.start_year %} selected{% endif %}>"
        "{{ y }}/{{ y|add:1 }}</option>{% endfor %}\n"
    ),
    "  {% if organization_options %}\n": "  {% if organizations %}\n",
    "      {{ organization_options }}\n": (
        '      {% for o in organizations %}<option value="{{ o.pk }}"'
        "{% if o == organization %} selected{% endif %}>"
        "{{ o.short_name }}</option>{% endfor %}\n"
    ),
    "      {{ form_rows }}\n": (
        "      {% for r in result.form_averages %}<tr><td>{{ r.form }}</td>"
        '<td class="text-end">{{ r.average }}</td>'
        '<td class="text-end">{{ r.percent }}</td>'
        '<td class="text-end">{{ r.respondents }}</td></tr>{% endfor %}\n'
    ),
    (
        "{# Rows and options come as markup: surveys/monitoring_page.py. #}\n"
        "{% for questionnaire, rows in question_groups %}\n"
        '  <h3 class="h6 mt-3">{{ questionnaire }}</h3>\n'
    ): (
        "{% regroup result.question_averages by questionnaire as groups %}\n"
        "{% for group in groups %}\n"
        '  <h3 class="h6 mt-3">{{ group.grouper }}</h3>\n'
    ),
    "    <tbody>{{ rows }}</tbody>\n": (
        "    <tbody>{% for r in group.list %}<tr><td>{{ r.text }}</td>"
        '<td class="text-end">{{ r.average }} из {{ r.scale_max }}</td>'
        '<td class="text-end">{{ r.answers }}</td></tr>{% endfor %}</tbody>\n'
    ),
    "    <tbody>{{ question_delta_rows }}</tbody>\n": (
        "    <tbody>{% for r in result.deltas_by_question %}<tr><td>{{ r.text }} "
        '<span class="text-muted">({{ r.questionnaire }})</span></td>'
        '<td class="text-end">{{ r.before|default_if_none:"—" }}</td>'
        '<td class="text-end">{{ r.after|default_if_none:"—" }}</td>'
        '<td class="text-end fw-semibold">{{ r.delta|default_if_none:"—" }}</td>'
        '<td class="text-end">{{ r.people }}</td></tr>{% endfor %}</tbody>\n'
    ),
}


def _template_before() -> str:
    """templates/surveys/monitoring.html with its loops put back."""
    source = (Path(settings.BASE_DIR) / "templates/surveys/monitoring.html").read_text()
    for now, before in LOOPS.items():
        assert source.count(now) == 1, now
        source = source.replace(now, before)
    return source


def _loop(printed: str) -> str:
    """The loop that the line printing `printed` replaced."""
    (now,) = (key for key in LOOPS if key.strip() == printed)
    return LOOPS[now].strip()


def _printed(source: str, **context) -> str:
    return DJANGO.from_string(source).render(context)


def test_the_tables_and_choices_print_as_the_templates_loops():
    questions = [
        {
            "questionnaire": "Анкета <A> & «кавычки»",
            "text": 'Вопрос "1" <b>',
            "average": Decimal("7.50"),
            "scale_max": 10,
            "answers": 12345,
        },
        {
            "questionnaire": "Анкета <A> & «кавычки»",
            "text": "Без чисел",
            "average": None,
            "scale_max": 5,
            "answers": 0,
        },
        # Not next to its questionnaire's other rows: a group of its own,
        # as {% regroup %} made it.
        {
            "questionnaire": "Анкета Б",
            "text": "Второй",
            "average": Decimal("-0.00"),
            "scale_max": 10,
            "answers": 3,
        },
        {
            "questionnaire": "Анкета <A> & «кавычки»",
            "text": "Снова первая",
            "average": Decimal("10.00"),
            "scale_max": 10,
            "answers": 1,
        },
    ]
    deltas = [
        {
            "questionnaire": "Влияние <x>",
            "text": "Уверенность & рост",
            "before": Decimal("4.25"),
            "after": None,
            "delta": Decimal("-1.05"),
            "people": 1000,
        },
        {
            "questionnaire": "Влияние",
            "text": "Комфорт",
            "before": None,
            "after": Decimal("0.33"),
            "delta": None,
            "people": 0,
        },
    ]
    forms = [
        {
            "form": "Учитель – <учитель>",
            "average": Decimal("5.57"),
            "percent": Decimal("55.67"),
            "respondents": 3340,
        },
        {"form": "Группа", "average": None, "percent": None, "respondents": 0},
    ]
    result = {
        "question_averages": questions,
        "deltas_by_question": deltas,
        "form_averages": forms,
    }
    schools = [
        Organization(pk=3, short_name="Школа № 1 «Лицей» & <i>"),
        Organization(pk=12, short_name="Гимназия"),
    ]
    groups_now = (
        "{% for questionnaire, rows in question_groups %}"
        "<h3>{{ questionnaire }}</h3><tbody>{{ rows }}</tbody>"
        "{% empty %}нет{% endfor %}"
    )
    groups_before = (
        "{% regroup result.question_averages by questionnaire as groups %}"
        "{% for group in groups %}<h3>{{ group.grouper }}</h3>"
        "<tbody>{% for r in group.list %}"
        + _loop("<tbody>{{ rows }}</tbody>")
        .removeprefix("<tbody>{% for r in group.list %}")
        .removesuffix("</tbody>")
        + "</tbody>{% empty %}нет{% endfor %}"
    )

    assert question_delta_rows(deltas) == _printed(
        _loop("<tbody>{{ question_delta_rows }}</tbody>")
        .removeprefix("<tbody>")
        .removesuffix("</tbody>"),
        result=result,
    )
    assert form_rows(forms) == _printed(_loop("{{ form_rows }}"), result=result)
    for rows in (questions, questions[:1], []):
        assert _printed(groups_now, question_groups=question_groups(rows)) == _printed(
            groups_before, result={"question_averages": rows}
        )
    assert len(question_groups(questions)) == 3
    for chosen in (2025, 2023, 1999):
        assert year_options(range(2025, 2020, -1), chosen=chosen) == _printed(
            _loop("{{ year_options }}"),
            years=range(2025, 2020, -1),
            period={"start_year": chosen},
        )
    for chosen in (None, schools[1]):
        assert organization_options(
            [(school.pk, school.short_name) for school in schools], chosen=chosen
        ) == _printed(
            _loop("{{ organization_options }}"),
            organizations=schools,
            organization=chosen,
        )
    assert "&lt;i&gt;" in organization_options([(1, "<i>")], chosen=None)


def _at(year, month):
    return timezone.make_aware(datetime.datetime(year, month, 15, 12))


@pytest.mark.django_db
def test_the_district_page_prints_as_its_template_did(client, pair_with_logins):
    first = pair_with_logins(
        starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2026, 6, 1)
    )
    district = first.pair.organization.district
    OrganizationFactory(district=district, short_name="Школа <№ 2> & сад")
    fill_questionnaire(
        "satisfaction-mentee",
        respondent=first.mentee,
        pair=first.pair,
        answers={"satisfaction": 9, "effectiveness": 7},
        submitted_at=_at(2026, 5),
    )
    for moment, month, confidence in [("before", 9, 4), ("after", 5, 7)]:
        fill_questionnaire(
            "impact-teacher",
            respondent=first.mentee,
            pair=first.pair,
            moment=moment,
            answers={"confidence": confidence},
            submitted_at=_at(2025 + (moment == "after"), month),
        )
    user = UserFactory(methodologist=True, district=district)
    client.force_login(user)
    url = reverse("surveys:monitoring")
    before = DJANGO.from_string(_template_before())

    for query in (
        {"year": 2025},
        {"year": 2025, "organization": first.pair.organization.pk},
    ):
        response = client.get(url, query)
        # A ContextList iterates its contexts, not their keys.
        keys = response.context.keys()  # noqa: SIM118
        context = {key: response.context[key] for key in keys}
        schools = list(Organization.objects.visible_to(user))
        context["organizations"] = schools if len(schools) > 1 else None
        printed = before.render(context, response.wsgi_request)

        assert "Школа &lt;№ 2&gt; &amp; сад</option>" in response.text
        assert "<tbody><tr><td>" in response.text  # the tables are there
        token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
        assert token.sub("", response.text) == token.sub("", printed)


def test_the_charts_and_rows_escape_as_django_does():
    text = "<b>\"Школа\" & 'сад'</b>"
    svg = bar_chart([(text, Decimal("7.5"))], max_value=10, title=text)
    line = line_chart([text], [(text, [Decimal("7.5")])], max_value=10)

    # aria-label, title, and the label in full (<title>) and as shown
    assert svg.count(django_escape(text)) == 4
    assert django_escape(text) in line
    assert "<b>" not in svg + line
    assert rows_escape(text) == django_escape(text)
    assert rows_escape(7) == "7"


def test_a_figure_prints_as_the_template_printed_it():
    printed = DJANGO.from_string('{{ v|default_if_none:"—" }}')
    for value in ("5.24", "-0.00", "10", "1E+1", "0E-7", "-1.5E-8", "123456789.01"):
        assert figure(Decimal(value)) == printed.render({"v": Decimal(value)}), value
    assert figure(None) == printed.render({"v": None})


@pytest.mark.django_db
def test_the_heading_names_what_the_figures_cover(client):
    school = OrganizationFactory(short_name="Школа № 5")
    OrganizationFactory(district=school.district, short_name="Школа № 6")
    empty = OrganizationFactory().district  # a district of one school
    Organization.objects.filter(district=empty).delete()
    url = reverse("surveys:monitoring")
    headed = [
        (
            UserFactory(methodologist=True, district=school.district),
            None,
            school.district,
        ),
        (UserFactory(methodologist=True, district=school.district), school, school),
        (UserFactory(methodologist=True, district=empty), None, empty),
        (UserFactory(director=True, organization=school), None, school),
        (UserFactory(curator=True, organization=school), school, school),
    ]

    for user, chosen, scope in headed:
        client.force_login(user)
        query = {"year": 2025, **({"organization": chosen.pk} if chosen else {})}
        page = client.get(url, query).text
        assert f"Мониторинг: {scope}, 2025/2026 учебный год" in page, user.role
