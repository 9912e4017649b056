"""Scoped reads of the surveys app: the mentor's dashboard, feedback owed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import (
    Meeting,
    MentorProfile,
    Pair,
    Participation,
    Person,
    ProgramItem,
    User,
)
from mentoring.selectors import pairs_with_people

from .models import Answer, Question, Questionnaire, Response

# Meetings that happened, or should have: their feedback is due.
DUE_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.HELD)


def feedback_given_by(person_ref) -> Exists:
    """SQL condition: the person (an OuterRef or an id) filled the meeting's form."""
    return Exists(
        Response.objects.filter(
            meeting_id=OuterRef("pk"),
            respondent_id=person_ref,
            questionnaire__kind=Questionnaire.Kind.MEETING_FEEDBACK,
        )
    )


def meetings_due(qs: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.all() if qs is None else qs
    # A suspended pair's feedback cannot be recorded (a consent ended): not owed.
    return qs.filter(starts_at__lte=timezone.now(), status__in=DUE_STATUSES).exclude(
        pair__status=Pair.Status.SUSPENDED
    )


def _count(qs: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            qs.order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def dashboard_pairs(*, user: User, person: Person) -> QuerySet[Pair]:
    """The user's pairs and groups with program progress, the next meeting and
    the meetings whose feedback this person still owes and the surveys they
    answered about it, in five queries."""
    now = timezone.now()
    items = ProgramItem.objects.filter(program__pair=OuterRef("pk"))
    upcoming = Meeting.objects.filter(
        pair=OuterRef("pk"), starts_at__gt=now, status=Meeting.Status.PLANNED
    ).order_by("starts_at")
    owed = (
        meetings_due()
        .annotate(given=feedback_given_by(person.pk))
        .filter(given=False)
        .order_by("starts_at")
    )
    my_role = Participation.objects.filter(pair=OuterRef("pk"), person=person).values(
        "role"
    )[:1]
    return (
        pairs_with_people(Pair.objects.visible_to(user).for_participant(user))
        .exclude(status=Pair.Status.DRAFT)
        .annotate(
            my_role=Subquery(my_role),
            items_total=_count(items),
            items_done=_count(items.filter(status=ProgramItem.Status.DONE)),
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            next_meeting_topic=Subquery(upcoming.values("topic")[:1]),
        )
        .prefetch_related(
            Prefetch("meetings", queryset=owed, to_attr="owed"),
            Prefetch(
                "survey_responses",
                queryset=Response.objects.filter(respondent=person).order_by(),
                to_attr="my_responses",
            ),
        )
        .order_by("status", "-pk")
    )


def pair_meetings(*, pair: Pair, person: Person | None) -> QuerySet[Meeting]:
    """The pair's meetings, newest first, with whether this person answered."""
    due = Q(starts_at__lte=timezone.now(), status__in=DUE_STATUSES)
    qs = pair.meetings.order_by("-starts_at").annotate(
        is_due=ExpressionWrapper(due, output_field=BooleanField())
    )
    if person is None:
        return qs.annotate(given=Value(False))
    return qs.annotate(given=feedback_given_by(person.pk))


def owed_feedback_by_mentor(*, user: User) -> list[dict]:
    """Mentors and the meetings whose feedback they have not filled, in one query."""
    rows = (
        meetings_due(Meeting.objects.visible_to(user))
        .filter(pair__participations__role=Participation.Role.MENTOR)
        .annotate(
            mentor_id=F("pair__participations__person_id"),
            mentor_last=F("pair__participations__person__last_name"),
            mentor_first=F("pair__participations__person__first_name"),
            mentor_patronymic=F("pair__participations__person__patronymic"),
        )
        .filter(~feedback_given_by(OuterRef("mentor_id")))
        .select_related("pair__form")
        .order_by("mentor_last", "mentor_first", "mentor_id", "starts_at")
    )
    mentors: dict[int, dict] = {}
    for meeting in rows:
        entry = mentors.setdefault(
            meeting.mentor_id,
            {
                "name": " ".join(
                    p
                    for p in (
                        meeting.mentor_last,
                        meeting.mentor_first,
                        meeting.mentor_patronymic,
                    )
                    if p
                ),
                "meetings": [],
            },
        )
        entry["meetings"].append(meeting)
    return list(mentors.values())


def profile_answers(*, profiles: Iterable) -> dict:
    """Each bank profile's latest answers to its bank questionnaire.

    A mentor profile reads the candidate questionnaire, a mentee profile the
    request questionnaire; the result maps each profile to {question code:
    value} (a number, an option, a list of options or a text) — what the
    matching engine compares. Two queries per kind of profile, any number.
    """
    by_kind: dict[str, list] = {}
    for profile in profiles:
        kind = (
            Questionnaire.Kind.MENTOR_CANDIDATE
            if isinstance(profile, MentorProfile)
            else Questionnaire.Kind.MENTEE_REQUEST
        )
        by_kind.setdefault(kind, []).append(profile)
    found: dict = {}
    for kind, group in by_kind.items():
        latest = (
            Response.objects.filter(
                respondent_id__in=[p.person_id for p in group],
                questionnaire__kind=kind,
            )
            .order_by("respondent_id", "-submitted_at", "-pk")
            .distinct("respondent_id")
            .values_list("pk", flat=True)
        )
        answers: dict[int, dict] = {}
        for answer in Answer.objects.filter(
            response_id__in=list(latest)
        ).select_related("question", "response"):
            if answer.question.code:
                answers.setdefault(answer.response.respondent_id, {})[
                    answer.question.code
                ] = _plain(answer)
        for profile in group:
            found[profile] = answers.get(profile.person_id, {})
    return found


def _plain(answer: Answer):
    kind = answer.question.kind
    if kind in Question.NUMERIC_KINDS:
        number = answer.number_value
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == Question.Kind.SINGLE:
        return answer.choice_values[0] if answer.choice_values else ""
    if kind == Question.Kind.MULTIPLE:
        return list(answer.choice_values)
    return answer.text_value
