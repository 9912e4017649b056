"""The standard wording of each kind of order; the curator edits it as needed."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext as _

from mentoring.documents import DATE, academic_year, pairs_for_document
from mentoring.models import (
    MenteeProfile,
    Order,
    OrderReward,
    Organization,
    Pair,
    Participation,
    Person,
    Role,
    User,
)
from mentoring.names import Case, full_name_in


class StandardText(NamedTuple):
    title: str
    preamble: str
    items: list[str]
    acquainted: tuple[Person, ...] | list[Person] = ()
    # The reward order's appendix: (person, OrderReward.Kind, basis) rows.
    rewards: tuple[tuple[Person, str, str], ...] | list = ()


def _curator_person(organization: Organization, author: User | None) -> Person | None:
    """The person who curates: the author if they have a card, else a curator's."""
    if author is not None and getattr(author, "person", None) is not None:
        return author.person
    return (
        Person.objects.filter(
            organization=organization, user__role=Role.CURATOR, user__is_active=True
        )
        .order_by("pk")
        .first()
    )


def _curator_clause(person: Person | None, case: str) -> str:
    if person is None:
        return ""
    return " " + full_name_in(person, case)


CONTROL = _("Контроль за исполнением настоящего приказа оставляю за собой.")

# How the mentee is named after «закрепить … за»: category phrases in the
# instrumental case (not name endings — those come from the library).
_MENTEE_AS = {
    MenteeProfile.Category.YOUNG_SPECIALIST: _("молодым специалистом"),
    MenteeProfile.Category.NEW_EMPLOYEE: _("вновь принятым педагогическим работником"),
    MenteeProfile.Category.CHANGED_POSITION: _(
        "педагогическим работником, сменившим место работы (должность),"
    ),
    MenteeProfile.Category.DIFFICULTIES: _(
        "педагогическим работником, испытывающим профессиональные затруднения,"
    ),
    MenteeProfile.Category.NEW_TECHNOLOGIES: _("педагогическим работником"),
    MenteeProfile.Category.BURNOUT: _("педагогическим работником"),
    MenteeProfile.Category.BY_REQUEST: _("педагогическим работником"),
    MenteeProfile.Category.TRAINEE: _("студентом-практикантом"),
}


def _mentee_phrase(person: Person) -> str:
    """«молодым специалистом Петровым Иваном Сергеевичем»."""
    name = full_name_in(person, Case.INSTRUMENTAL)
    if person.category == Person.Category.STUDENT:
        student = (
            _("обучающейся")
            if person.gender == Person.Gender.FEMALE
            else _("обучающимся")
        )
        if person.school_class:
            return _("%(who)s %(class)s класса %(name)s") % {
                "who": student,
                "class": person.school_class,
                "name": name,
            }
        return f"{student} {name}"
    profile = getattr(person, "mentee_profile", None)
    role = _MENTEE_AS.get(getattr(profile, "category", None))
    if role is None:
        role = (
            _("наставляемой")
            if person.gender == Person.Gender.FEMALE
            else _("наставляемым")
        )
    return f"{role} {name}"


def _join(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s и %(last)s") % {
        "first": ", ".join(names[:-1]),
        "last": names[-1],
    }


def pair_clause(pair: Pair) -> str:
    """«Закрепить наставником Иванову Марию Петровну за молодым специалистом …»."""
    roles = list(pair.participations.all())
    mentors = [p.person for p in roles if p.role == Participation.Role.MENTOR]
    mentees = [p.person for p in roles if p.role == Participation.Role.MENTEE]
    mentor_names = _join([full_name_in(p, Case.ACCUSATIVE) for p in mentors])
    verb = _("наставниками") if len(mentors) > 1 else _("наставником")
    if len(mentees) > 1:
        whom = _("группой наставляемых в составе: %(names)s") % {
            "names": ", ".join(full_name_in(p, Case.GENITIVE) for p in mentees)
        }
    else:
        whom = _join([_mentee_phrase(p) for p in mentees])
    return _(
        "Закрепить %(verb)s %(mentors)s за %(whom)s (форма наставничества "
        "«%(form)s»%(term)s)."
    ) % {
        "verb": verb,
        "mentors": mentor_names,
        "whom": whom,
        "form": pair.form.name,
        "term": _term_clause(pair),
    }


def _term_clause(pair: Pair) -> str:
    if pair.starts_on and pair.ends_on:
        return _(", срок с %(start)s по %(end)s") % {
            "start": pair.starts_on.strftime(DATE),
            "end": pair.ends_on.strftime(DATE),
        }
    if pair.ends_on:
        return _(", срок до %(end)s") % {"end": pair.ends_on.strftime(DATE)}
    return ""


def standard_pair_order_text(
    *, organization: Organization, pairs: list[Pair], author: User | None
) -> StandardText:
    pairs = pairs_for_document(
        Pair.objects.filter(pk__in=[p.pk for p in pairs]).order_by("pk")
    )
    year = academic_year()
    curator = _curator_person(organization, author)
    starts = [p.starts_on for p in pairs if p.starts_on]
    ends = [p.ends_on for p in pairs if p.ends_on]
    items = [
        "\n".join(
            [
                _(
                    "Закрепить наставнические пары (группы) согласно приложению к настоящему приказу:"
                )
            ]
            + [pair_clause(pair) for pair in pairs]
        )
    ]
    if starts and ends:
        items.append(
            _(
                "Установить срок реализации персонализированных программ "
                "наставничества с %(start)s по %(end)s."
            )
            % {"start": min(starts).strftime(DATE), "end": max(ends).strftime(DATE)}
        )
    items += [
        _(
            "Наставникам в течение двух недель со дня издания настоящего приказа "
            "разработать совместно с наставляемыми персонализированные программы "
            "наставничества, проводить встречи по плану программ и после каждой "
            "встречи заполнять форму обратной связи."
        ),
        _(
            "Куратору%(curator)s обеспечить методическое сопровождение и мониторинг "
            "работы наставнических пар (групп)."
        )
        % {"curator": _curator_clause(curator, Case.DATIVE)},
        CONTROL,
    ]
    acquainted: list[Person] = []
    for pair in pairs:
        for participation in pair.participations.all():
            if participation.person not in acquainted:
                acquainted.append(participation.person)
    if curator is not None and curator not in acquainted:
        acquainted.append(curator)
    return StandardText(
        title=_(
            "О закреплении наставнических пар (групп) на %(year)s/%(next)s учебный год"
        )
        % {"year": year, "next": year + 1},
        preamble=_(
            "В соответствии с Положением о системе наставничества, статьёй 351.8 "
            "Трудового кодекса Российской Федерации, на основании письменных согласий "
            "участников наставнической деятельности, в целях профессионального "
            "развития и поддержки наставляемых"
        ),
        items=items,
        acquainted=acquainted,
    )


def standard_order_text(
    *, kind: str, organization: Organization, author: User | None
) -> StandardText:
    """The usual wording of each kind of order; the curator edits it as needed."""
    year = academic_year()
    period = {"year": year, "next": year + 1}
    curator = _curator_person(organization, author)
    basis = _(
        "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании "
        "в Российской Федерации», статьёй 351.8 Трудового кодекса Российской "
        "Федерации, Положением о системе наставничества"
    )
    if kind == Order.Kind.REWARD:
        mentors = (
            Person.objects.filter(
                organization=organization,
                participations__role=Participation.Role.MENTOR,
                participations__pair__status__in=[
                    Pair.Status.ACTIVE,
                    Pair.Status.COMPLETED,
                ],
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        return StandardText(
            title=_("О поощрении участников наставнической деятельности"),
            preamble=basis
            + _(
                ", по итогам реализации персонализированных программ наставничества "
                "в %(year)s/%(next)s учебном году и результатам мониторинга"
            )
            % period,
            items=[
                _(
                    "Поощрить участников наставнической деятельности согласно "
                    "приложению к настоящему приказу."
                ),
                _(
                    "Рекомендовать лучших наставников к участию в муниципальном "
                    "конкурсе «Наставник года»."
                ),
                _(
                    "Куратору%(curator)s разместить информацию о поощрении на "
                    "официальном сайте образовательной организации."
                )
                % {"curator": _curator_clause(curator, Case.DATIVE)},
                CONTROL,
            ],
            rewards=[
                (
                    mentor,
                    OrderReward.Kind.THANKS,
                    _(
                        "За активное участие в реализации программы наставничества "
                        "и достигнутые результаты"
                    ),
                )
                for mentor in mentors
            ],
        )
    if kind == Order.Kind.FINAL_EVENT:
        return StandardText(
            title=_(
                "О проведении итогового мероприятия в рамках реализации системы "
                "наставничества"
            ),
            preamble=basis
            + _(", в целях подведения итогов реализации программы наставничества"),
            items=[
                _(
                    "Провести в мае %(next)s года итоговое мероприятие по реализации "
                    "программы наставничества в форме круглого стола «Лучшие практики "
                    "наставничества»."
                )
                % period,
                _(
                    "Куратору%(curator)s подготовить программу мероприятия и "
                    "обеспечить выступления наставников и наставляемых."
                )
                % {"curator": _curator_clause(curator, Case.DATIVE)},
                _(
                    "Наставникам представить результаты реализации персонализированных "
                    "программ наставничества."
                ),
                _(
                    "По итогам мероприятия отобрать лучшие практики наставничества, "
                    "пополнить ими методическую копилку и разместить информацию на "
                    "официальном сайте образовательной организации."
                ),
                CONTROL,
            ],
        )
    if kind == Order.Kind.REGULATIONS:
        return StandardText(
            title=_(
                "Об утверждении Положения о системе наставничества педагогических "
                "работников и дорожной карты на %(year)s/%(next)s учебный год"
            )
            % period,
            preamble=_(
                "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
                "образовании в Российской Федерации», статьёй 351.8 Трудового кодекса "
                "Российской Федерации, в целях развития системы наставничества"
            ),
            items=[
                _(
                    "Утвердить Положение о системе наставничества педагогических "
                    "работников (приложение 1)."
                ),
                _(
                    "Утвердить дорожную карту (план мероприятий) по реализации "
                    "Положения о системе наставничества на %(year)s/%(next)s учебный "
                    "год (приложение 2)."
                )
                % period,
                _(
                    "Куратору%(curator)s разместить Положение и дорожную карту на "
                    "официальном сайте образовательной организации."
                )
                % {"curator": _curator_clause(curator, Case.DATIVE)},
                CONTROL,
            ],
        )
    if kind == Order.Kind.CURATOR:
        who = (
            _("%(name)s%(position)s")
            % {
                "name": full_name_in(curator, Case.ACCUSATIVE),
                "position": f" ({curator.position})" if curator.position else "",
            }
            if curator is not None
            else "____________________"
        )
        return StandardText(
            title=_("О назначении куратора реализации программы наставничества"),
            preamble=basis + _(", в целях организации наставнической деятельности"),
            items=[
                _(
                    "Назначить куратором реализации программы наставничества на "
                    "%(year)s/%(next)s учебный год %(who)s."
                )
                % {**period, "who": who},
                _(
                    "Куратору организовать формирование банков наставников и "
                    "наставляемых, наставнических пар (групп), мониторинг и "
                    "отчётность по программе наставничества."
                ),
                CONTROL,
            ],
            acquainted=[curator] if curator is not None else [],
        )
    return StandardText(title="", preamble=basis, items=[CONTROL])
