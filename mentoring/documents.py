"""Printed documents: each one's template, context and file name (STYLE.md).

Orders, the personalized program of a pair and the consent form a participant
signs. Names in running text take their case through `mentoring.names`;
rendering itself is `mentoring.pdf`'s job.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.dates import academic_year, academic_year_end
from mentoring.models import (
    MenteeProfile,
    Order,
    OrderReward,
    Organization,
    Pair,
    Participation,
    Person,
    Program,
    Role,
    User,
)
from mentoring.names import Case, full_name_in, initials_surname
from mentoring.pdf import render_pdf

# File names keep a fixed date format; the text prints dates by the locale's.
FILE_DATE = "%d.%m.%Y"
BLANK_DATE = "«___» ________ 20___ г."

# ---------------------------------------------------------------- file names

# Russian → Latin letters (the passport system of 2014, ГОСТ Р 52535.1-2006
# less the apostrophes), for file names that open everywhere.
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m",
            "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch",
            "ie", "y", "", "e", "iu", "ia",
        ],
        strict=True,
    )
)  # fmt: skip


def transliterate(text: str) -> str:
    """«Приказ № 63-од» → «prikaz_63-od»: lower case, safe characters only."""
    latin = "".join(_LATIN.get(ch, ch) for ch in text.lower())
    kept = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-.") else "_" for ch in latin
    )
    return "_".join(part for part in kept.split("_") if part)


def order_filename(order: Order) -> str:
    if order.status == Order.Status.SIGNED:
        return (
            transliterate(
                f"приказ {order.full_number} от {order.signed_on:{FILE_DATE}}"
            )
            + ".pdf"
        )
    return transliterate(f"проект приказа {order.pk}") + ".pdf"


def program_filename(program: Program) -> str:
    mentees = [
        p.person
        for p in program.pair.participations.all()
        if p.role == Participation.Role.MENTEE
    ]
    who = mentees[0].last_name if mentees else str(program.pair_id)
    return (
        transliterate(
            f"программа наставничества {who} от {program.starts_on:{FILE_DATE}}"
        )
        + ".pdf"
    )


def consent_filename(person: Person) -> str:
    return transliterate(f"согласие {person.short_name}") + ".pdf"


def no_break(text: str) -> str:
    """Keep «№ 517» on one line."""
    return text.replace("№ ", "№\u00a0")


# ---------------------------------------------------------------- standard text


class StandardText(NamedTuple):
    title: str
    preamble: str
    items: list[str]
    acquainted: tuple[Person, ...] | list[Person] = ()
    # The reward order's appendix: (person, OrderReward.Kind, basis) rows.
    rewards: tuple[tuple[Person, str, str], ...] | list = ()


def _day(day: datetime.date) -> str:
    """ДД.ММ.ГГГГ, as config/formats/ru/formats.py says a Russian date reads."""
    return date_format(day, "SHORT_DATE_FORMAT")


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
            "start": _day(pair.starts_on),
            "end": _day(pair.ends_on),
        }
    if pair.ends_on:
        return _(", срок до %(end)s") % {"end": _day(pair.ends_on)}
    return ""


def pairs_for_document(pairs) -> list[Pair]:
    """Pairs with their form and people (and the mentees' bank entries)."""
    return list(
        pairs.select_related("form").prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related(
                    "person__mentee_profile"
                ).order_by("role", "person__last_name", "person__first_name"),
            )
        )
    )


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
            % {"start": _day(min(starts)), "end": _day(max(ends))}
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


# ---------------------------------------------------------------- orders


def person_post(person: Person) -> str:
    """Position, or the class of a student, as the appendix prints it."""
    if person.category == Person.Category.STUDENT:
        student = (
            _("обучающаяся")
            if person.gender == Person.Gender.FEMALE
            else _("обучающийся")
        )
        if person.school_class:
            return _("%(who)s %(class)s класса") % {
                "who": student,
                "class": person.school_class,
            }
        return student
    return person.position


def order_context(order: Order) -> dict:
    organization = order.organization
    items = []
    for number, item in enumerate(order.items.all(), start=1):
        lines = item.lines
        items.append({"number": number, "head": lines[0], "subs": lines[1:]})
    rows = []
    if order.kind == Order.Kind.PAIRS:
        for number, pair in enumerate(
            pairs_for_document(order.pairs.order_by("pk")), 1
        ):
            roles = list(pair.participations.all())
            rows.append(
                {
                    "number": number,
                    "mentors": [
                        (p.person.full_name, person_post(p.person))
                        for p in roles
                        if p.role == Participation.Role.MENTOR
                    ],
                    "mentees": [
                        (p.person.full_name, person_post(p.person))
                        for p in roles
                        if p.role == Participation.Role.MENTEE
                    ],
                    "form": pair.form.name,
                    "format": pair.get_format_display(),
                    "starts_on": _day(pair.starts_on) if pair.starts_on else "",
                    "ends_on": _day(pair.ends_on) if pair.ends_on else "",
                }
            )
    if order.kind == Order.Kind.REWARD:
        rows = [
            {
                "number": number,
                "name": reward.person.full_name,
                "post": person_post(reward.person),
                "kind": reward.get_kind_display(),
                "basis": reward.basis,
            }
            for number, reward in enumerate(
                order.rewards.select_related("person").order_by("position", "pk"), 1
            )
        ]
    signed = order.status == Order.Status.SIGNED
    return {
        "order": order,
        "organization": organization,
        "org_name": no_break(organization.full_name),
        "date": _day(order.signed_on) if signed else BLANK_DATE,
        "number": order.full_number if signed else "______",
        "is_draft": not signed,
        "place": order.place or organization.place,
        "items": items,
        "rows": rows,
        "acquainted": [
            {
                "name": initials_surname(a.person),
                "full_name": a.person.full_name,
                "on": _day(a.acquainted_on) if a.acquainted_on else "",
            }
            for a in order.acquaintances.select_related("person").order_by(
                "person__last_name", "person__first_name"
            )
        ],
    }


ORDER_TEMPLATES = {
    Order.Kind.PAIRS: "documents/order_pairs.html",
    Order.Kind.REWARD: "documents/order_reward.html",
}


def order_pdf(*, order: Order) -> bytes:
    """Render the order as it reads now (the signed one is stored, not re-rendered)."""
    template = ORDER_TEMPLATES.get(order.kind, "documents/order.html")
    return render_pdf(template, order_context(order))


# ---------------------------------------------------------------- program


def program_context(program: Program) -> dict:
    pair = program.pair
    roles = list(pair.participations.all())
    mentors = [p.person for p in roles if p.role == Participation.Role.MENTOR]
    mentees = [p.person for p in roles if p.role == Participation.Role.MENTEE]
    order = (
        pair.order if pair.order and pair.order.status == Order.Status.SIGNED else None
    )

    def card(person: Person) -> dict:
        years = person.experience_years()
        return {
            "name": person.full_name,
            "short": initials_surname(person),
            "post": person_post(person),
            "experience": years,
            "qualification": person.get_qualification_display(),
        }

    return {
        "program": program,
        "pair": pair,
        "organization": pair.organization,
        "mentors": [card(p) for p in mentors],
        "mentees": [card(p) for p in mentees],
        "mentee_names_genitive": ", ".join(
            full_name_in(p, Case.GENITIVE) for p in mentees
        ),
        "order": order,
        "starts_on": _day(program.starts_on),
        "ends_on": _day(program.ends_on),
        "approved_on": _day(program.approved_on) if program.approved_on else "",
        "tasks": [t for t in program.tasks.splitlines() if t.strip()],
        "difficulties": [t for t in program.difficulties.splitlines() if t.strip()],
        "items": [
            {
                "number": number,
                "direction": item.direction,
                "content": item.content,
                "due_on": _day(item.due_on),
                "form": item.form,
                "expected_result": item.expected_result,
                "mark": item.get_status_display()
                + (f" {_day(item.done_on)}" if item.done_on else ""),
            }
            for number, item in enumerate(program.items.all(), start=1)
        ],
    }


def program_pdf(*, program: Program) -> bytes:
    return render_pdf("documents/program.html", program_context(program))


# ---------------------------------------------------------------- consent

# 152-ФЗ ст. 9 ч. 4 п. 5: the personal data the program processes.
CONSENT_DATA = [
    _("фамилия, имя, отчество"),
    _("дата рождения"),
    _("должность, место работы или класс (группа) обучения"),
    _("сведения о педагогическом стаже, квалификационной категории, образовании"),
    _("контактный телефон, адрес электронной почты"),
    _(
        "сведения об участии в программе наставничества: профессиональные или "
        "образовательные запросы, результаты анкетирования, встреч и мониторинга"
    ),
]
CONSENT_ACTIONS = _(
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, "
    "изменение), извлечение, использование, передача (предоставление, доступ) "
    "органу управления образованием и региональному центру наставничества в "
    "составе отчётности, обезличивание, блокирование, удаление, уничтожение; "
    "обработка смешанная, с использованием средств автоматизации и без них"
)


def consent_context(person: Person, *, day: datetime.date | None = None) -> dict:
    day = day or timezone.localdate()
    minor = person.is_minor(day)
    return {
        "person": person,
        "organization": person.organization,
        "minor": minor,
        "representative": person.legal_representative,
        "subject_genitive": full_name_in(person, Case.GENITIVE),
        "minor_word": _("несовершеннолетней")
        if person.gender == Person.Gender.FEMALE
        else _("несовершеннолетнего"),
        "data": CONSENT_DATA,
        "actions": CONSENT_ACTIONS,
        "purposes": _(
            "организация и сопровождение наставнической деятельности, формирование "
            "банков наставников и наставляемых, наставнических пар (групп), "
            "персонализированных программ наставничества, мониторинг и отчётность "
            "по программе наставничества"
        ),
        "year_end": _day(academic_year_end(academic_year(day))),
    }


def consent_pdf(*, people: list[Person]) -> bytes:
    """The forms, one per person, each on its own page, in one file."""
    return render_pdf(
        "documents/consent.html", {"forms": [consent_context(p) for p in people]}
    )
