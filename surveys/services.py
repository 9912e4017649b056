"""Questionnaire versions and responses: every write of the surveys app."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import Meeting, Pair, Participation, Person, Program, User
from mentoring.services import (
    ensure_acts_for,
    ensure_may_record_about,
    lower_first,
    record_change,
)

from .models import Answer, Question, Questionnaire, QuestionnaireVersion, Response

QUESTION_FIELDS = (
    "position",
    "code",
    "text",
    "kind",
    "is_required",
    "scale_min",
    "scale_max",
    "min_label",
    "max_label",
    "choices",
)


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.order_by("-number").first()


def ensure_can_edit(*, questionnaire: Questionnaire, by: User | None) -> None:
    """Standard questionnaires are shared by every school: only an administrator
    edits them; a curator edits their organization's own."""
    if by is None or by.is_superuser:
        return
    if questionnaire.organization_id is None:
        raise ValidationError(
            _(
                "Стандартную анкету меняет администратор системы. Создайте "
                "анкету своей организации."
            ),
            code="standard",
        )
    ensure_acts_for(by=by, organization=questionnaire.organization)


@transaction.atomic
def save_questions(
    *, questionnaire: Questionnaire, rows: Iterable[dict], by: User | None
) -> QuestionnaireVersion:
    """Give the questionnaire these questions, in the order of `position`.

    `rows` are the questions' fields, with `pk` for a question being edited.
    Once anyone has answered the current version its questions are frozen:
    the rows become a new version and old responses keep their wording.
    """
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    ensure_can_edit(questionnaire=questionnaire, by=by)
    rows = sorted(rows, key=lambda r: r.get("position") or 0)
    if not rows:
        raise ValidationError(_("В анкете должен быть хотя бы один вопрос."))
    version = current_version(questionnaire)
    frozen = version is None or version.responses.exists()
    if frozen:
        number = (version.number if version else 0) + 1
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=number, created_by=by
        )
    kept = []
    for position, row in enumerate(rows, start=1):
        fields = {f: row[f] for f in QUESTION_FIELDS if f in row}
        fields["position"] = position
        pk = None if frozen else row.get("pk")
        question = (
            version.questions.get(pk=pk)
            if pk
            else Question(questionnaire=questionnaire, version=version)
        )
        for name, value in fields.items():
            setattr(question, name, value)
        question.full_clean()
        question.save()
        kept.append(question.pk)
    version.questions.exclude(pk__in=kept).delete()
    record_change(
        actor=by,
        obj=questionnaire,
        action="questionnaire.revised" if frozen else "questionnaire.edited",
        message=_("Анкета «%(title)s»: вопросы сохранены (версия %(n)s).")
        % {"title": questionnaire.title, "n": version.number},
        organization=questionnaire.organization,
    )
    return version


def clean_answers(*, questions: Iterable[Question], raw: dict) -> dict[Question, dict]:
    """Typed column values per question, or every problem at once.

    `raw` maps a question's pk to what was entered: a number, a text, a chosen
    option or a list of them; empty values mean no answer.
    """
    cleaned, errors = {}, {}
    for question in questions:
        value = raw.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.is_required:
                errors[question.pk] = _("Ответьте на вопрос «%(q)s».") % {
                    "q": question.text
                }
            continue
        try:
            cleaned[question] = _typed(question, value)
        except ValidationError as error:
            errors[question.pk] = error.messages[0]
    if errors:
        raise ValidationError(
            {f"q{pk}": message for pk, message in errors.items()}, code="answers"
        )
    return cleaned


def _typed(question: Question, value) -> dict:
    kind = question.kind
    if kind in Question.NUMERIC_KINDS:
        try:
            number = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Введите число.")) from None
        if not number.is_finite() or abs(number) >= 10**7:
            raise ValidationError(_("Введите число."))
        if kind == Question.Kind.SCALE and not (
            question.scale_min <= number <= question.scale_max
            and number == number.to_integral_value()
        ):
            raise ValidationError(
                _("Оценка — целое число от %(lo)s до %(hi)s.")
                % {"lo": question.scale_min, "hi": question.scale_max}
            )
        return {"number_value": number}
    if kind in Question.CHOICE_KINDS:
        chosen = [value] if isinstance(value, str) else list(value)
        unknown = [c for c in chosen if c not in question.choices]
        if unknown or (kind == Question.Kind.SINGLE and len(chosen) != 1):
            raise ValidationError(_("Выберите вариант из списка."))
        return {"choice_values": chosen}
    return {"text_value": str(value).strip()}


def respondent_of(*, user: User) -> Person:
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise ValidationError(
            _("Учётная запись не связана с участником."), code="no_person"
        )
    return person


@transaction.atomic
def submit_response(
    *,
    questionnaire: Questionnaire,
    respondent: Person,
    raw: dict,
    by: User | None,
    meeting: Meeting | None = None,
    pair: Pair | None = None,
    program: Program | None = None,
    moment: str = "",
) -> Response:
    """Store a filled questionnaire in the current version, whole or not at all."""
    version = current_version(questionnaire)
    if version is None or not questionnaire.is_active:
        raise ValidationError(_("Анкета сейчас не заполняется."), code="inactive")
    if meeting is not None:
        # Two tabs submitting the same feedback queue here; the second one
        # finds the first and is refused (the unique constraint backs it up).
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("pair")
            .get(pk=meeting.pk)
        )
        pair = meeting.pair
        # Checks the respondent takes part in the meeting's pair, too.
        ensure_feedback_due(meeting=meeting, respondent=respondent)
    elif pair is not None:
        Pair.objects.select_for_update().get(pk=pair.pk)
    if (
        meeting is None
        and pair is not None
        and not _takes_part(respondent=respondent, pair=pair)
    ):
        raise ValidationError(
            _("Отвечать об этой паре могут только её участники."), code="not_in_pair"
        )
    if meeting is None:
        # No new answers about anyone whose consent has ended (152-ФЗ ст. 9
        # ч. 2); ensure_feedback_due has checked a meeting's pair.
        ensure_may_record_about(pair=pair, persons=[respondent])
    if pair is not None and questionnaire.audience in _PAIR_ROLES:
        # A mentee filling the mentor's form (or the reverse) would skew the
        # monitoring, which compares the two sides.
        role = _PAIR_ROLES[questionnaire.audience]
        if not Participation.objects.filter(
            pair=pair, person=respondent, role=role
        ).exists():
            raise ValidationError(
                _("Эту анкету заполняет %(who)s пары.")
                % {"who": lower_first(Participation.Role(role).label)},
                code="wrong_audience",
            )
    duplicate = Response.objects.filter(
        questionnaire=questionnaire, respondent=respondent
    )
    if meeting is not None and duplicate.filter(meeting=meeting).exists():
        raise ValidationError(
            _("Обратная связь по этой встрече уже заполнена."), code="duplicate"
        )
    if moment and pair and duplicate.filter(pair=pair, moment=moment).exists():
        raise ValidationError(
            _("Эта анкета по паре на этом этапе уже заполнена."), code="duplicate"
        )
    once_per_pair = questionnaire.kind in (
        Questionnaire.Kind.SATISFACTION,
        Questionnaire.Kind.PROGRAM_QUALITY,
    )
    if once_per_pair and pair and duplicate.filter(pair=pair).exists():
        raise ValidationError(
            _("Вы уже ответили на эту анкету об этой паре."), code="duplicate"
        )
    cleaned = clean_answers(questions=version.questions.all(), raw=raw)
    response = Response(
        questionnaire=questionnaire,
        version=version,
        organization_id=respondent.organization_id,
        respondent=respondent,
        meeting=meeting,
        pair=pair,
        program=program,
        moment=moment,
        submitted_by=by if by and by.is_authenticated else None,
    )
    _full_clean_held_references(response)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(
            _("Эта анкета уже заполнена."), code="duplicate"
        ) from None
    Answer.objects.bulk_create(
        Answer(response=response, question=question, **values)
        for question, values in cleaned.items()
    )
    if meeting is not None and questionnaire.audience == Questionnaire.Audience.MENTOR:
        _take_outcome_from_feedback(meeting=meeting, cleaned=cleaned)
    record_change(
        actor=by,
        obj=response,
        action="response.submitted",
        message=_("Заполнена анкета «%(title)s»") % {"title": questionnaire.title},
        organization=respondent.organization,
    )
    return response


def _full_clean_held_references(response: Response) -> None:
    """`full_clean()` but for the checks submit_response has just made.

    Every reference is a row the caller holds (the meeting locked above, the
    questionnaire, the respondent…): asking the database again whether each
    exists cost seven queries of a feedback post's forty. The model's two
    constraints (once per meeting; once per pair and moment) are the
    duplicates submit_response looks for under the meeting's or the pair's
    lock, with the database's unique indexes behind them: validated again
    they cost six statements of a post (two SELECTs, each in a savepoint)
    and could not fail. Field values, the model's `clean()` and its unique
    fields are checked as before.
    """
    references = [f.name for f in response._meta.concrete_fields if f.is_relation]
    errors: dict = {}
    for check in (
        lambda: response.clean_fields(exclude=references),
        response.clean,
        response.validate_unique,
    ):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


# The mentor's feedback question that says what the meeting did; the same
# text as the meeting's outcome, so the mentor types it once (issue 13).
OUTCOME_QUESTION = "done"


def _take_outcome_from_feedback(*, meeting: Meeting, cleaned: dict) -> None:
    """A meeting without an outcome takes the one the mentor's feedback gives."""
    if meeting.outcome:
        return
    for question, values in cleaned.items():
        if question.code == OUTCOME_QUESTION and values.get("text_value"):
            meeting.outcome = values["text_value"]
            meeting.save(update_fields=["outcome"])
            return


_PAIR_ROLES = {
    Questionnaire.Audience.MENTOR: Participation.Role.MENTOR,
    Questionnaire.Audience.MENTEE: Participation.Role.MENTEE,
}


def _takes_part(*, respondent: Person, pair: Pair) -> bool:
    return Participation.objects.filter(pair=pair, person=respondent).exists()


def ensure_feedback_due(*, meeting: Meeting, respondent: Person) -> None:
    if not _takes_part(respondent=respondent, pair=meeting.pair):
        raise ValidationError(
            _("Обратную связь по встрече заполняют только участники пары."),
            code="not_in_pair",
        )
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED):
        raise ValidationError(
            _("Встреча не состоялась: обратная связь по ней не нужна."),
            code="not_held",
        )
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Обратную связь заполняют после встречи."), code="not_yet"
        )
    ensure_may_record_about(pair=meeting.pair, persons=[respondent])


def feedback_questionnaire(*, role: str, organization_id: int) -> Questionnaire:
    """The feedback form for the mentor's or the mentee's side of a meeting.

    The organization's own active form wins over the standard one.
    """
    audience = (
        Questionnaire.Audience.MENTOR
        if role == Participation.Role.MENTOR
        else Questionnaire.Audience.MENTEE
    )
    found = (
        Questionnaire.objects.filter(
            Q(organization_id=organization_id) | Q(organization__isnull=True),
            kind=Questionnaire.Kind.MEETING_FEEDBACK,
            audience=audience,
            is_active=True,
        )
        .order_by(F("organization_id").asc(nulls_last=True), "-pk")
        .first()
    )
    if found is None:
        raise ValidationError(
            _("Форма обратной связи не найдена: обратитесь к куратору."),
            code="no_form",
        )
    return found


@transaction.atomic
def copy_questionnaire(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    """The organization's own editable copy of a questionnaire's current version."""
    if by.organization_id is None:
        raise ValidationError(
            _("Копию создаёт куратор организации."), code="no_organization"
        )
    ensure_acts_for(by=by, organization=by.organization)
    copy = Questionnaire.objects.create(
        kind=questionnaire.kind,
        audience=questionnaire.audience,
        title=questionnaire.title,
        description=questionnaire.description,
        organization=by.organization,
    )
    source = current_version(questionnaire)
    rows = [
        {field: getattr(q, field) for field in QUESTION_FIELDS}
        for q in (source.questions.all() if source else [])
    ]
    save_questions(questionnaire=copy, rows=rows, by=by)
    return copy
