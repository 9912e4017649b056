import pytest
from django.urls import reverse

from surveys.models import Question, Questionnaire
from surveys.services import submit_response
from tests.factories import (
    PairFactory,
    QuestionnaireFactory,
    UserFactory,
    questionnaire,
)


@pytest.fixture
def curator():
    return UserFactory(curator=True)


def _post_questions(client, obj, rows):
    """Submit the questionnaire's admin page with these inline rows."""
    data = {
        "title": obj.title,
        "kind": obj.kind,
        "audience": obj.audience,
        "description": "",
        "is_active": "on",
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        base = {
            "is_required": "on",
            "scale_min": "1",
            "scale_max": "10",
            "questionnaire": str(obj.pk),
        }
        for key, value in {**base, **row}.items():
            data[f"questions-{i}-{key}"] = value
    url = reverse("admin:surveys_questionnaire_change", args=[obj.pk])
    return client.post(url, data, follow=True)


def _answer(obj, respondent_pair):
    mentee = respondent_pair.participations.get(role="mentee").person
    version = obj.versions.get()
    rating = version.questions.get(code="rating")
    return submit_response(
        questionnaire=obj, respondent=mentee, raw={rating.pk: 7}, by=None
    )


@pytest.mark.django_db
def test_editing_an_unanswered_questionnaire_changes_its_version_in_place(
    client, curator
):
    obj = QuestionnaireFactory(organization=curator.organization)
    rating, comment = obj.versions.get().questions.order_by("position")
    client.force_login(curator)

    response = _post_questions(
        client,
        obj,
        [
            {
                "id": rating.pk,
                "position": "1",
                "text": "Оцените пользу",
                "kind": "scale",
            },
            {
                "id": comment.pk,
                "position": "2",
                "text": "Комментарий",
                "kind": "long_text",
            },
        ],
    )

    assert response.status_code == 200, response.text
    assert obj.versions.count() == 1
    rating.refresh_from_db()
    assert rating.text == "Оцените пользу"


@pytest.mark.django_db
def test_editing_an_answered_questionnaire_creates_a_new_version(client, curator):
    obj = QuestionnaireFactory(organization=curator.organization)
    pair = PairFactory(organization=curator.organization, active=True)
    answered = _answer(obj, pair)
    rating, comment = obj.versions.get().questions.order_by("position")
    client.force_login(curator)

    _post_questions(
        client,
        obj,
        [
            {
                "id": comment.pk,
                "position": "1",
                "text": "Что запомнилось",
                "kind": "long_text",
            },
            {
                "id": rating.pk,
                "position": "2",
                "text": "Оцените пользу",
                "kind": "scale",
            },
            {"position": "3", "text": "Сколько уроков посетили", "kind": "number"},
        ],
    )

    assert list(obj.versions.values_list("number", flat=True)) == [2, 1]
    new = obj.versions.get(number=2)
    assert list(new.questions.values_list("text", flat=True)) == [
        "Что запомнилось",
        "Оцените пользу",
        "Сколько уроков посетили",
    ]
    # The old response keeps the questions it was given.
    rating.refresh_from_db()
    assert rating.text == "Оцените встречу"
    assert answered.answers.get().question == rating
    assert answered.version.number == 1


@pytest.mark.django_db
def test_a_scale_with_its_ends_reversed_is_refused_and_nothing_saved(client, curator):
    obj = QuestionnaireFactory(organization=curator.organization)
    rating, _comment = obj.versions.get().questions.order_by("position")
    client.force_login(curator)

    response = _post_questions(
        client,
        obj,
        [
            {
                "id": rating.pk,
                "position": "1",
                "text": "Оценка",
                "kind": "scale",
                "scale_min": "10",
                "scale_max": "1",
            }
        ],
    )

    assert "Начало шкалы должно быть меньше её конца." in response.text
    rating.refresh_from_db()
    assert rating.text == "Оцените встречу"


@pytest.mark.django_db
def test_a_questionnaire_in_use_cannot_be_deleted(client, curator):
    obj = QuestionnaireFactory(organization=curator.organization)
    _answer(obj, PairFactory(organization=curator.organization, active=True))
    client.force_login(curator)
    url = reverse("admin:surveys_questionnaire_delete", args=[obj.pk])

    response = client.post(url, {"post": "yes"}, follow=True)

    assert f"Анкету «{obj.title}» нельзя удалить: на неё уже отвечали" in response.text
    assert Questionnaire.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_curator_reads_a_standard_questionnaire_and_copies_it_to_edit(client, curator):
    standard = questionnaire("meeting-feedback-mentee")
    client.force_login(curator)
    change = reverse("admin:surveys_questionnaire_change", args=[standard.pk])

    page = client.get(change)
    response = client.post(
        reverse("admin:surveys_questionnaire_changelist"),
        {"action": "copy_to_own_organization", "_selected_action": [standard.pk]},
        follow=True,
    )

    assert "Сохранить" not in page.text  # read only
    copy = Questionnaire.objects.get(organization=curator.organization)
    assert f"Создана анкета «{copy.title}»" in response.text
    assert list(
        Question.objects.filter(version__questionnaire=copy).values_list(
            "code", flat=True
        )
    ) == ["usefulness", "comfort", "next_steps_clear", "comment"]


@pytest.mark.django_db
def test_curator_does_not_see_another_schools_questionnaire(client, curator):
    other = QuestionnaireFactory()
    client.force_login(curator)

    response = client.get(
        reverse("admin:surveys_questionnaire_change", args=[other.pk])
    )

    assert response.status_code == 302  # the admin's «not found» redirect
    listing = client.get(reverse("admin:surveys_questionnaire_changelist"))
    assert other.title not in listing.text
    assert "Обратная связь после встречи (наставник)" in listing.text


@pytest.mark.django_db
def test_curator_builds_a_new_questionnaire_with_ordered_questions(client, curator):
    client.force_login(curator)
    data = {
        "title": "Анкета выпускника программы",
        "kind": Questionnaire.Kind.CUSTOM,
        "audience": Questionnaire.Audience.MENTEE,
        "description": "",
        "is_active": "on",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
    }
    rows = [
        {
            "position": "2",
            "text": "Что бы вы посоветовали новичкам",
            "kind": "long_text",
        },
        {
            "position": "1",
            "text": "Какой формат встреч удобнее",
            "kind": "single",
            "choices": "очно,онлайн",
        },
    ]
    for i, row in enumerate(rows):
        for key, value in {"scale_min": "1", "scale_max": "10", **row}.items():
            data[f"questions-{i}-{key}"] = value

    response = client.post(
        reverse("admin:surveys_questionnaire_add"), data, follow=True
    )

    assert response.status_code == 200
    created = Questionnaire.objects.get(title="Анкета выпускника программы")
    assert created.organization == curator.organization
    version = created.versions.get()
    assert list(version.questions.values_list("text", "choices")) == [
        ("Какой формат встреч удобнее", ["очно", "онлайн"]),
        ("Что бы вы посоветовали новичкам", []),
    ]
