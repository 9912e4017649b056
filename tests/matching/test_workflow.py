"""The curator's matching pages: run, review, decide, draft pairs; scoping."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.dates import rest_of_academic_year
from mentoring.matching.scoring import Weights
from mentoring.models import (
    AuditEntry,
    Consent,
    MatchingRun,
    Pair,
    Suggestion,
)
from mentoring.services.matching import decide_suggestion, run_matching
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    UserFactory,
    form,
)

pytestmark = pytest.mark.django_db

TERM = {"starts_on": "2026-12-07", "ends_on": "2027-05-31"}


def school(mentors=1, mentees=1, capacity=2):
    organization = OrganizationFactory()
    tt = form("teacher-teacher")
    for _ in range(mentors):
        MentorProfileFactory(
            person__organization=organization,
            capacity=capacity,
            forms=[tt],
            competencies="Планирование уроков по ФОП, работа с родителями",
        )
    for _ in range(mentees):
        MenteeProfileFactory(person__organization=organization)
    curator = UserFactory(curator=True, organization=organization)
    return organization, curator


def start(client, **overrides):
    data = {
        "mentoring_forms": [form("teacher-teacher").pk],
        "mode": "optimal",
        "make_groups": "on",
        **{f"weight_{name}": value for name, value in Weights().as_dict().items()},
        **overrides,
    }
    return _queued(client, reverse("mentoring:matching"), data)


def _queued(client, url, data=None):
    """POST, let the queued task run as the worker would, then open the page."""
    # The request only queues the run (on commit); the task computes it after.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    if response.status_code != 302:
        return response
    return client.get(response.url)


def test_a_run_suggests_and_explains_without_changing_any_pair(client):
    organization, curator = school(mentors=1, mentees=2)
    client.force_login(curator)
    response = start(client)
    run = MatchingRun.objects.get()
    assert f"Подбор № {run.pk} запущен" in response.text
    assert run.matched_count == 2
    assert "совпадают запросы: планирование уроков по ФОП, работа с родителями" in (
        response.text
    )
    assert "стаж наставника 15 лет" in response.text
    assert not Pair.objects.exists()
    run = MatchingRun.objects.get()
    assert run.organization == organization
    assert run.weights == Weights().as_dict()
    assert len(run.inputs["mentees"]) == 2


def test_accepted_suggestions_of_one_mentor_become_one_draft_group(client):
    organization, curator = school(mentors=1, mentees=2)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    client.post(reverse("mentoring:matching-accept-all", args=[run.pk]))
    response = client.post(
        reverse("mentoring:matching-create-pairs", args=[run.pk]), TERM, follow=True
    )
    assert "Созданы проекты пар и групп: 1." in response.text
    pair = Pair.objects.get()
    assert pair.status == Pair.Status.DRAFT
    assert (pair.starts_on.isoformat(), pair.ends_on.isoformat()) == (
        TERM["starts_on"],
        TERM["ends_on"],
    )
    assert pair.format == Pair.Format.GROUP
    assert pair.participations.count() == 3
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE


def test_a_refused_pair_gets_its_message_and_the_others_proceed(client):
    organization, curator = school(mentors=2, mentees=2, capacity=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    client.post(reverse("mentoring:matching-accept-all", args=[run.pk]))
    # After the run, one mentee's consent is withdrawn: create_pair refuses it.
    refused = run.suggestions.first()
    Consent.objects.filter(person=refused.mentee).update(
        withdrawn_on=refused.run.created_at.date()
    )
    response = client.post(
        reverse("mentoring:matching-create-pairs", args=[run.pk]), TERM, follow=True
    )
    assert "Созданы проекты пар и групп: 1." in response.text
    assert "нет действующего согласия" in response.text
    assert Pair.objects.count() == 1
    refused.refresh_from_db()
    assert "нет действующего согласия" in refused.refusal


def test_rejected_suggestions_stay_out_and_nothing_is_created(client):
    organization, curator = school(mentors=1, mentees=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    suggestion = run.suggestions.get()
    client.post(
        reverse("mentoring:matching-decide", args=[run.pk, suggestion.pk]),
        {"action": "rejected"},
    )
    response = client.post(
        reverse("mentoring:matching-create-pairs", args=[run.pk]), TERM, follow=True
    )
    assert "Нет принятых предложений: примите хотя бы одно." in response.text
    assert not Pair.objects.exists()


def test_rerun_keeps_pins_and_forbids_rejected_pairs(client):
    organization, curator = school(mentors=2, mentees=2, capacity=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    first, second = run.suggestions.order_by("pk")
    client.post(
        reverse("mentoring:matching-decide", args=[run.pk, first.pk]),
        {"action": "pin"},
    )
    client.post(
        reverse("mentoring:matching-decide", args=[run.pk, second.pk]),
        {"action": "rejected"},
    )
    _queued(client, reverse("mentoring:matching-rerun", args=[run.pk]))
    new = MatchingRun.objects.exclude(pk=run.pk).get()
    pairs = set(new.suggestions.values_list("mentor_id", "mentee_id", "pinned"))
    assert (first.mentor_id, first.mentee_id, True) in pairs
    assert (second.mentor_id, second.mentee_id, False) not in pairs
    assert new.unmatched.get().mentee_id == second.mentee_id


def test_swapping_mentors_rescores_both_suggestions(client):
    organization, curator = school(mentors=2, mentees=2, capacity=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    first, second = run.suggestions.order_by("pk")
    response = client.post(
        reverse("mentoring:matching-swap", args=[run.pk, first.pk]),
        {"other": second.pk},
        follow=True,
    )
    assert "Наставники поменялись" in response.text
    first_after = Suggestion.objects.get(pk=first.pk)
    assert first_after.mentor_id == second.mentor_id
    assert Suggestion.objects.get(pk=second.pk).mentor_id == first.mentor_id


@pytest.mark.parametrize(
    ("setup", "overrides", "message"),
    [
        ({"mentors": 0}, {}, "В банке наставников нет никого"),
        ({"mentees": 0}, {}, "Нет наставляемых, которым нужен наставник"),
        (
            {},
            {f"weight_{name}": 0 for name in Weights().as_dict()},
            "Все веса равны нулю",
        ),
        ({}, {"mode": "stable"}, "Для устойчивого подбора нужны предпочтения"),
    ],
)
def test_bad_input_fails_the_run_in_russian_and_suggests_nothing(
    client, setup, overrides, message
):
    organization, curator = school(**setup)
    client.force_login(curator)
    response = start(client, **overrides)
    assert "Подбор не удался." in response.text
    assert message in response.text
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.FAILED
    assert not run.suggestions.exists()


def test_capacities_smaller_than_demand_list_the_unmatched_for_the_psychologist(
    client,
):
    organization, curator = school(mentors=1, mentees=3, capacity=2)
    client.force_login(curator)
    response = start(client)
    assert "свободных мест меньше, чем наставляемых" in response.text
    psychologist = UserFactory(psychologist=True, organization=organization)
    client.force_login(psychologist)
    home = client.get(reverse("mentoring:home"))
    assert "Подбор: подходящих наставников (1) не хватило" in home.text


def test_another_schools_run_is_not_found(client):
    organization, curator = school()
    run = run_matching(
        organization=organization,
        by=curator,
        forms=[form("teacher-teacher")],
        weights=Weights(),
    )
    suggestion = run.suggestions.get()
    outsider = UserFactory(curator=True)
    client.force_login(outsider)
    assert (
        client.get(reverse("mentoring:matching-run", args=[run.pk])).status_code == 404
    )
    decide = reverse("mentoring:matching-decide", args=[run.pk, suggestion.pk])
    assert client.post(decide, {"action": "accepted"}).status_code == 404
    create = reverse("mentoring:matching-create-pairs", args=[run.pk])
    assert client.post(create, TERM).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.decision == Suggestion.Decision.PENDING


def test_participants_do_not_reach_the_matching_pages(client):
    client.force_login(UserFactory())
    assert client.get(reverse("mentoring:matching")).status_code == 404


def test_a_psychologist_sees_runs_but_cannot_decide(client):
    organization, curator = school()
    run = run_matching(
        organization=organization,
        by=curator,
        forms=[form("teacher-teacher")],
        weights=Weights(),
    )
    suggestion = run.suggestions.get()
    client.force_login(UserFactory(psychologist=True, organization=organization))
    page = client.get(reverse("mentoring:matching-run", args=[run.pk]))
    assert page.status_code == 200
    assert "Принять" not in page.text
    response = client.post(
        reverse("mentoring:matching-decide", args=[run.pk, suggestion.pk]),
        {"action": "accepted"},
    )
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.decision == Suggestion.Decision.PENDING
    with pytest.raises(ValidationError, match="Нет прав вносить изменения"):
        decide_suggestion(
            suggestion=suggestion,
            decision=Suggestion.Decision.ACCEPTED,
            by=UserFactory(psychologist=True, organization=organization),
        )


@pytest.mark.parametrize("size", [2, 20])
def test_the_run_page_costs_the_same_queries_for_2_and_20_suggestions(
    client, django_assert_num_queries, size
):
    organization, curator = school(mentors=size, mentees=size, capacity=1)
    run = run_matching(
        organization=organization,
        by=curator,
        forms=[form("teacher-teacher")],
        weights=Weights(),
    )
    client.force_login(curator)
    url = reverse("mentoring:matching-run", args=[run.pk])
    client.get(url)
    # The seventh counts the run's draft pairs that no order assigns yet.
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_a_run_reads_the_school_in_the_same_queries_for_2_and_20_people():
    counts = []
    for size in (2, 20):
        organization, curator = school(mentors=size, mentees=size, capacity=1)
        with CaptureQueriesContext(connection) as captured:
            run_matching(
                organization=organization,
                by=curator,
                forms=[form("teacher-teacher")],
                weights=Weights(),
            )
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("size", [2, 20])
def test_the_runs_list_costs_the_same_queries_for_2_and_20_runs(
    client, django_assert_num_queries, size
):
    organization, curator = school()
    for _ in range(size):
        run_matching(
            organization=organization,
            by=curator,
            forms=[form("teacher-teacher")],
            weights=Weights(),
        )
    client.force_login(curator)
    url = reverse("mentoring:matching")
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_decisions_are_recorded_in_the_audit_trail(client):
    organization, curator = school()
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    suggestion = run.suggestions.get()
    client.post(
        reverse("mentoring:matching-decide", args=[run.pk, suggestion.pk]),
        {"action": "pin"},
    )
    entry = AuditEntry.objects.for_object(run).get(action="matching.decision")
    assert entry.actor == curator
    assert entry.message.endswith("принято, закреплено")


def test_a_curator_cannot_run_matching_for_another_school():
    organization, _curator = school()
    outsider = UserFactory(curator=True)
    with pytest.raises(ValidationError) as caught:
        run_matching(
            organization=organization,
            by=outsider,
            forms=[form("teacher-teacher")],
            weights=Weights(),
        )
    assert caught.value.code == "forbidden"
    assert not MatchingRun.objects.exists()


def test_rerun_after_some_pairs_were_drafted_offers_the_rest(client):
    organization, curator = school(mentors=2, mentees=2, capacity=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    first, second = run.suggestions.order_by("pk")
    client.post(
        reverse("mentoring:matching-decide", args=[run.pk, first.pk]),
        {"action": "pin"},
    )
    client.post(reverse("mentoring:matching-create-pairs", args=[run.pk]), TERM)
    _queued(client, reverse("mentoring:matching-rerun", args=[run.pk]))
    new = MatchingRun.objects.exclude(pk=run.pk).get()
    assert list(new.suggestions.values_list("mentee_id", flat=True)) == [
        second.mentee_id
    ]


def test_the_review_page_shows_the_inputs_and_weights_of_the_run(client):
    organization, curator = school()
    client.force_login(curator)
    response = start(client, weight_requests=5)
    assert "Наставляемых, ждущих наставника: 1" in response.text
    assert '<td>Запросы и компетенции</td><td class="text-end">5</td>' in response.text


def test_the_start_page_checks_the_forms_waiting_mentees_asked_for(client):
    organization, curator = school()
    profile = MenteeProfileFactory(person__organization=organization)
    profile.desired_forms.set([form("teacher-teacher")])
    client.force_login(curator)
    page = client.get(reverse("mentoring:matching"))
    boxes = re.findall(
        r'<input type="checkbox"[^>]*name="mentoring_forms"[^>]*>', page.text
    )
    checked = [box for box in boxes if "checked" in box]
    assert len(checked) == 1
    assert f'value="{form("teacher-teacher").pk}"' in checked[0]


def test_the_runs_draft_pairs_become_a_draft_pair_order_in_one_click(client):
    from mentoring.models import Order

    organization, curator = school(mentors=2, mentees=2, capacity=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    client.post(reverse("mentoring:matching-accept-all", args=[run.pk]))
    page = client.post(
        reverse("mentoring:matching-create-pairs", args=[run.pk]), TERM, follow=True
    )
    assert "Проект приказа о закреплении (2)" in page.text
    response = client.post(
        reverse("mentoring:matching-order", args=[run.pk]), follow=True
    )
    order = Order.objects.get()
    assert order.status == Order.Status.DRAFT
    assert order.organization == organization
    assert set(order.pairs.all()) == set(Pair.objects.all())
    assert "Создан проект приказа" in response.text
    again = client.post(reverse("mentoring:matching-order", args=[run.pk]), follow=True)
    assert Order.objects.count() == 1
    assert "Выберите хотя бы одну пару или группу." in again.text


def test_bank_questionnaire_answers_join_the_requests_and_competencies(client):
    from tests.factories import fill_questionnaire

    organization = OrganizationFactory()
    tt = form("teacher-teacher")
    mentor = MentorProfileFactory(
        person__organization=organization, forms=[tt], competencies="Подготовка к ЕГЭ"
    )
    mentee = MenteeProfileFactory(person__organization=organization, requests="")
    fill_questionnaire(
        "mentor-candidate",
        respondent=mentor.person,
        answers={"expertise": ["дисциплина на уроке", "работа с родителями"]},
    )
    fill_questionnaire(
        "mentee-request",
        respondent=mentee.person,
        answers={"difficulties": ["дисциплина на уроке"]},
    )
    curator = UserFactory(curator=True, organization=organization)
    run = run_matching(
        organization=organization, by=curator, forms=[tt], weights=Weights()
    )
    suggestion = run.suggestions.get()
    assert "совпадают запросы: дисциплина на уроке" in suggestion.explanation


def test_a_finished_run_keeps_its_decisions():
    from mentoring.services.matching import decide_suggestion

    organization, curator = school(mentors=1, mentees=1)
    run = run_matching(
        organization=organization,
        by=curator,
        forms=[form("teacher-teacher")],
        weights=Weights(),
    )
    MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.DONE)
    suggestion = run.suggestions.get()
    with pytest.raises(ValidationError) as error:
        decide_suggestion(suggestion=suggestion, decision="rejected", by=curator)
    assert "завершён: решения по нему больше не меняются" in str(error.value)
    suggestion.refresh_from_db()
    assert suggestion.decision == Suggestion.Decision.PENDING


def test_the_run_page_offers_the_rest_of_the_school_year_as_the_term(client):
    organization, curator = school(mentors=1, mentees=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    page = client.get(reverse("mentoring:matching-run", args=[run.pk]))
    starts_on, ends_on = rest_of_academic_year()
    assert f'name="starts_on" value="{starts_on.isoformat()}"' in page.text
    assert f'name="ends_on" value="{ends_on.isoformat()}"' in page.text
    assert ends_on.month == 8 and ends_on.day == 31


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ({}, "Укажите дату начала наставничества."),
        (
            {"starts_on": "2027-05-31", "ends_on": "2026-12-07"},
            "Окончание наставничества (07.12.2026) должно быть позже начала "
            "(31.05.2027).",
        ),
    ],
)
def test_pairs_are_not_drafted_without_a_term(client, term, message):
    organization, curator = school(mentors=1, mentees=1)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    client.post(reverse("mentoring:matching-accept-all", args=[run.pk]))
    response = client.post(
        reverse("mentoring:matching-create-pairs", args=[run.pk]), term, follow=True
    )
    assert message in response.text
    assert not Pair.objects.exists()
