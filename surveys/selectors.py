"""Scoped reads of the surveys app: the mentor's dashboard, feedback owed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from mentoring.models import (
    Meeting,
    MenteeProfile,
    MentorProfile,
    Pair,
    Participation,
    Person,
    ProgramItem,
    User,
)

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


def dashboard_person(*, user: User) -> Person | None:
    """The user's card, and whether it is in the mentors' or mentees' bank
    (the dashboard offers their questionnaires): one query, not three."""
    return (
        Person.objects.filter(user=user)
        .annotate(
            in_mentor_bank=Exists(MentorProfile.objects.filter(person=OuterRef("pk"))),
            in_mentee_bank=Exists(MenteeProfile.objects.filter(person=OuterRef("pk"))),
        )
        .first()
    )


def dashboard_pairs(*, user: User, person: Person) -> list[Pair]:
    """The person's pairs and groups (not drafts) this user sees, each with
    its people, program progress, next meeting, the meetings whose feedback
    the person still owes and the surveys they answered about it.

    Four small queries on the pairs' ids, values only: one query with five
    correlated subqueries took PostgreSQL longer to plan than to run (2.6 ms
    against 0.6 ms) and Django longer still to build, on the mix's most
    asked page (issue 15).
    """
    people = list(
        Participation.objects.filter(pair__participations__person=person)
        .exclude(pair__status=Pair.Status.DRAFT)
        # Mentors first («mentor» sorts after «mentee»), then by name.
        .order_by("-role", "person__last_name", "person__first_name")
        .values_list(
            "pair_id",
            "person_id",
            "role",
            "person__last_name",
            "person__first_name",
            "person__patronymic",
        )
    )
    if not people:
        return []
    ids = {row[0] for row in people}
    pairs = list(
        Pair.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("form")
        .only("status", "form__name")
        .annotate(
            items_total=Count("program__items"),
            items_done=Count(
                "program__items",
                filter=Q(program__items__status=ProgramItem.Status.DONE),
            ),
        )
        .order_by("status", "-pk")
    )
    by_pk = {pair.pk: pair for pair in pairs}
    for pair in pairs:
        pair.people, pair.owed, pair.answered = [], [], set()
        pair.next_meeting_at = pair.next_meeting_topic = None
    for pair_id, person_id, role, *name in people:
        if pair := by_pk.get(pair_id):
            if person_id == person.pk:
                pair.my_role = role
            pair.people.append(
                {
                    "role": Participation.Role(role).label,
                    "name": " ".join(part for part in name if part),
                }
            )
    now = timezone.now()
    meetings = (
        Meeting.objects.filter(pair_id__in=by_pk, status__in=DUE_STATUSES)
        .annotate(given=feedback_given_by(person.pk))
        .order_by("starts_at", "pk")
        .values("pk", "pair_id", "starts_at", "topic", "status", "given")
    )
    for meeting in meetings:
        pair = by_pk[meeting["pair_id"]]
        if meeting["starts_at"] > now:
            if (
                meeting["status"] == Meeting.Status.PLANNED
                and pair.next_meeting_at is None
            ):
                pair.next_meeting_at = meeting["starts_at"]
                pair.next_meeting_topic = meeting["topic"]
        # A suspended pair's feedback cannot be recorded (a consent ended): not owed.
        elif not meeting["given"] and pair.status != Pair.Status.SUSPENDED:
            pair.owed.append(meeting)
    for pair_id, questionnaire_id, moment in Response.objects.filter(
        respondent=person, pair_id__in=by_pk
    ).values_list("pair_id", "questionnaire_id", "moment"):
        by_pk[pair_id].answered.add((questionnaire_id, moment))
    return pairs


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
