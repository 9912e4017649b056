"""Generate a district of schools with people, consents, banks, pairs and meetings.

For benchmarks and load tests, not for demos: the rows are written with
`bulk_create`, bypassing the services, so a district of 40 schools takes
seconds instead of hours. The services are for real users; here every rule
they check (categories of the form, bank status, valid consents, mentor
capacity, one open pair per mentee and form) holds by construction.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from mentoring.consent_texts import current_text_version
from mentoring.models import (
    AGE_OF_MAJORITY,
    Consent,
    District,
    Meeting,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    MentorTraining,
    Organization,
    Pair,
    Participation,
    Person,
    Program,
    ProgramItem,
    Region,
    age_on,
)
from mentoring.services.consents import consent_given_at

BATCH_SIZE = 2000
DEFAULT_DISTRICT_NAME = "Модельный район"
REGION = "Санкт-Петербург"

# Forms the generated pairs use, with their share of an organization's pairs.
FORM_SHARES = {"teacher-teacher": 0.4, "student-student": 0.3, "teacher-student": 0.3}
PAIR_STATUS_SHARES = {
    Pair.Status.DRAFT: 0.15,
    Pair.Status.APPROVED: 0.15,
    Pair.Status.ACTIVE: 0.5,
    Pair.Status.COMPLETED: 0.12,
    Pair.Status.TERMINATED: 0.08,
}

# ------------------------------------------------------------------ names


def _words(text: str) -> list[str]:
    return text.split()


# Surnames in the masculine form; the feminine one is derived by `_surname`.
SURNAMES = _words("""
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев
Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев
Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев
Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов
Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников
Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов
Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков
Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев
Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев
Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов
Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков
Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов
Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов
Аксёнов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков
Сафонов Плотников Дёмин Хохлов Жданов Покровский Вишневский Островский Успенский
Толстой Шевченко Ковальчук Черных Седых Бондаренко Мороз
""")

MALE_NAMES = _words("""
Александр Алексей Андрей Артём Борис Вадим Валерий Василий Виктор Владимир
Владислав Георгий Григорий Даниил Денис Дмитрий Евгений Егор Иван Игорь Илья
Кирилл Константин Лев Максим Матвей Михаил Никита Николай Олег Павел Пётр Роман
Сергей Степан Тимофей Фёдор Юрий Ярослав Савва
""")

FEMALE_NAMES = _words("""
Александра Алина Анастасия Анна Валентина Валерия Вера Виктория Галина Дарья
Диана Евгения Екатерина Елена Елизавета Ирина Ксения Лариса Любовь Людмила
Маргарита Марина Мария Наталья Надежда Нина Ольга Полина Светлана Софья Татьяна
Ульяна Юлия Яна Варвара Алиса Вероника
""")

# (masculine, feminine) patronymics, as derived from the father's name.
PATRONYMICS = [
    ("Александрович", "Александровна"),
    ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"),
    ("Борисович", "Борисовна"),
    ("Вадимович", "Вадимовна"),
    ("Валерьевич", "Валерьевна"),
    ("Васильевич", "Васильевна"),
    ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"),
    ("Геннадьевич", "Геннадьевна"),
    ("Георгиевич", "Георгиевна"),
    ("Григорьевич", "Григорьевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Иванович", "Ивановна"),
    ("Игоревич", "Игоревна"),
    ("Ильич", "Ильинична"),
    ("Константинович", "Константиновна"),
    ("Максимович", "Максимовна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"),
    ("Петрович", "Петровна"),
    ("Романович", "Романовна"),
    ("Сергеевич", "Сергеевна"),
    ("Юрьевич", "Юрьевна"),
    ("Анатольевич", "Анатольевна"),
    ("Леонидович", "Леонидовна"),
    ("Фёдорович", "Фёдоровна"),
    ("Степанович", "Степановна"),
    ("Кириллович", "Кирилловна"),
]

# (position, subjects) of the teaching staff.
POSITIONS = [
    ("учитель начальных классов", "начальные классы"),
    ("учитель начальных классов", "начальные классы"),
    ("учитель математики", "математика"),
    ("учитель математики", "математика, информатика"),
    ("учитель русского языка и литературы", "русский язык, литература"),
    ("учитель русского языка и литературы", "русский язык, литература"),
    ("учитель английского языка", "английский язык"),
    ("учитель истории и обществознания", "история, обществознание"),
    ("учитель физики", "физика"),
    ("учитель химии", "химия"),
    ("учитель биологии", "биология"),
    ("учитель географии", "география"),
    ("учитель информатики", "информатика"),
    ("учитель физической культуры", "физическая культура"),
    ("учитель музыки", "музыка"),
    ("учитель изобразительного искусства", "изобразительное искусство"),
    ("учитель труда (технологии)", "труд (технология)"),
    ("преподаватель-организатор ОБЗР", "основы безопасности и защиты Родины"),
    ("педагог-психолог", ""),
    ("социальный педагог", ""),
    ("учитель-логопед", ""),
    ("педагог дополнительного образования", "робототехника"),
    ("педагог-организатор", ""),
]

TEACHER_REQUESTS = [
    "Планирование уроков по ФОП",
    "Работа с родителями",
    "Дисциплина на уроке",
    "Формирующее оценивание",
    "Подготовка обучающихся к ОГЭ",
    "Оформление рабочей программы",
    "Классное руководство",
]
STUDENT_REQUESTS = [
    "Подготовка к олимпиаде",
    "Пробелы в знаниях по математике",
    "Адаптация в новом классе",
    "Выбор профиля обучения",
    "Проектная деятельность",
    "Чтение и понимание текста",
]
MEETING_TOPICS = [
    "Знакомство, ожидания от совместной работы",
    "Разбор открытого урока",
    "Составление технологической карты урока",
    "Подготовка к родительскому собранию",
    "Анализ результатов контрольной работы",
    "Работа над индивидуальным проектом",
    "Разбор трудных задач",
    "Подготовка к олимпиаде",
    "Обсуждение прочитанной книги",
    "Подведение промежуточных итогов",
]
PROGRAM_ITEMS = [
    ("Адаптация", "Знакомство с локальными актами организации", "Консультация"),
    ("Планирование", "Совместная разработка технологической карты", "Практикум"),
    ("Методика", "Посещение уроков наставника и их разбор", "Взаимопосещение"),
    ("Оценивание", "Критерии оценивания и формирующее оценивание", "Семинар"),
    ("Проект", "Выбор темы и план индивидуального проекта", "Консультация"),
    ("Итоги", "Самоанализ и представление результатов", "Итоговая встреча"),
]
TRAININGS = [
    (
        MentorTraining.Kind.COURSE,
        "Наставничество в образовательной организации: технологии и практики",
        36,
    ),
    (MentorTraining.Kind.SESSION, "Установочная сессия наставников", 4),
    (MentorTraining.Kind.SEMINAR, "Наставник молодого педагога", 8),
]
QUALIFICATIONS = [
    Person.Qualification.CONFORMITY,
    Person.Qualification.FIRST,
    Person.Qualification.FIRST,
    Person.Qualification.HIGHEST,
    Person.Qualification.METHODIST,
    Person.Qualification.MENTOR,
]
TEACHER_MENTEE_CATEGORIES = [
    MenteeProfile.Category.NEW_EMPLOYEE,
    MenteeProfile.Category.CHANGED_POSITION,
    MenteeProfile.Category.DIFFICULTIES,
    MenteeProfile.Category.NEW_TECHNOLOGIES,
    MenteeProfile.Category.BURNOUT,
    MenteeProfile.Category.BY_REQUEST,
]
STUDENT_MENTEE_CATEGORIES = [
    MenteeProfile.Category.UNDERACHIEVING,
    MenteeProfile.Category.PASSIVE,
    MenteeProfile.Category.SPECIAL_NEEDS,
    MenteeProfile.Category.GIFTED,
    MenteeProfile.Category.ADAPTING,
]
GOALS = {
    "teacher-teacher": "Адаптация молодого специалиста в коллективе и профессии",
    "student-student": "Повышение учебной мотивации и успеваемости",
    "teacher-student": "Раскрытие потенциала обучающегося, подготовка к олимпиаде",
}


def _surname(base: str, gender: str) -> str:
    if gender == Person.Gender.MALE:
        return base
    if base.endswith("ский"):
        return base[:-2] + "ая"
    if base.endswith("ой"):
        return base[:-2] + "ая"
    if base.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return base + "а"
    return base  # Шевченко, Черных: the same for both


@dataclass
class Names:
    rng: random.Random

    def person(self, gender: str, surname: str | None = None) -> tuple[str, str, str]:
        male = gender == Person.Gender.MALE
        return (
            _surname(surname or self.rng.choice(SURNAMES), gender),
            self.rng.choice(MALE_NAMES if male else FEMALE_NAMES),
            self.rng.choice(PATRONYMICS)[0 if male else 1],
        )

    def gender(self, female_share: float = 0.5) -> str:
        if self.rng.random() < female_share:
            return Person.Gender.FEMALE
        return Person.Gender.MALE


# ------------------------------------------------------------------ generation


@dataclass
class Totals:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


@dataclass
class Slot:
    """A bank entry the pairing step may use, with the capacity it has left."""

    person: Person
    capacity: int = 0


class Generator:
    def __init__(self, *, rng, forms, today, staff, students, pairs, meetings):
        self.rng = rng
        self.names = Names(rng)
        self.forms = forms
        self.today = today
        self.staff = staff
        self.students = students
        self.pairs = pairs
        self.meetings = meetings
        self.totals = Totals()
        # Trainings draw from their own stream, so adding them left every
        # other row the same seed gave before.
        self.trainings_rng = random.Random(repr(rng.getstate()))
        # 1 September of the current school year: grades count from it.
        self.school_year = today.year if today.month >= 9 else today.year - 1

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    # ---------------------------------------------------------------- people

    def teacher(self, organization) -> Person:
        gender = self.names.gender(female_share=0.8)
        last, first, patronymic = self.names.person(gender)
        age = self.rng.randint(23, 64)
        birth = self.today - datetime.timedelta(
            days=age * 365 + self.rng.randint(0, 364)
        )
        young = age < 30 and self.rng.random() < 0.6
        if young:
            since = self.days_ago(30, 3 * 365)
        else:
            since = birth + datetime.timedelta(
                days=self.rng.randint(21 * 365, max(21 * 365, (age - 1) * 365))
            )
        position, subjects = self.rng.choice(POSITIONS)
        return Person(
            organization=organization,
            last_name=last,
            first_name=first,
            patronymic=patronymic,
            gender=gender,
            birth_date=birth,
            category=Person.Category.TEACHER,
            position=position,
            subjects=subjects,
            teaching_since=since,
            qualification=(
                Person.Qualification.NONE if young else self.rng.choice(QUALIFICATIONS)
            ),
            phone=self.phone(),
        )

    def phone(self) -> str:
        digits = [self.rng.randint(0, 9) for _ in range(9)]
        return "+7 (9{}{}) {}{}{}-{}{}-{}{}".format(*digits)

    def student(self, organization, index: int) -> Person:
        grade = index % 11 + 1
        letter = "АБВ"[(index // 11) % 3]
        gender = self.names.gender()
        family = self.rng.choice(SURNAMES)
        last, first, patronymic = self.names.person(gender, surname=family)
        # Six and a half to seven and a half on 1 September of the first grade.
        birth = datetime.date(self.school_year - grade - 6, 3, 1) + datetime.timedelta(
            days=self.rng.randint(0, 364)
        )
        minor = age_on(birth, self.today) < AGE_OF_MAJORITY
        representative = ""
        if minor:
            parent_gender = self.names.gender(female_share=0.7)
            representative = " ".join(self.names.person(parent_gender, surname=family))
        return Person(
            organization=organization,
            last_name=last,
            first_name=first,
            patronymic=patronymic,
            gender=gender,
            birth_date=birth,
            category=Person.Category.STUDENT,
            school_class=f"{grade}{letter}",
            legal_representative=representative,
        )

    # ---------------------------------------------------------------- consents

    def data_consent(self, person: Person) -> Consent | None:
        """The personal-data consent; None for the few who have not given it."""
        roll = self.rng.random()
        if roll < 0.03:
            return None
        minor = age_on(person.birth_date, self.today) < AGE_OF_MAJORITY
        given = self.days_ago(10, 400)
        kind = Consent.Kind.GUARDIAN if minor else Consent.Kind.PERSONAL_DATA
        consent = Consent(
            person=person,
            kind=kind,
            representative_name=person.legal_representative if minor else "",
            given_on=given,
            given_at=consent_given_at(given),
            text_version=current_text_version(kind),
            medium=(
                Consent.Medium.ELECTRONIC
                if self.rng.random() < 0.1
                else Consent.Medium.PAPER
            ),
        )
        if roll < 0.05:
            consent.withdrawn_on = given + datetime.timedelta(
                days=self.rng.randint(0, (self.today - given).days)
            )
        return consent

    # ---------------------------------------------------------------- one school

    def organization(self, organization) -> None:
        teachers = [self.teacher(organization) for _ in range(self.staff)]
        students = [self.student(organization, i) for i in range(self.students)]
        people = Person.objects.bulk_create(teachers + students, batch_size=BATCH_SIZE)
        self.totals.add("persons", len(people))

        consents, consented = [], set()
        for person in people:
            consent = self.data_consent(person)
            if consent is None:
                continue
            consents.append(consent)
            if consent.withdrawn_on is None:
                consented.add(person.pk)

        plan = self._plan()
        teacher_pairs = plan.count("teacher-teacher") + plan.count("teacher-student")
        student_pairs = plan.count("student-student") + plan.count("teacher-student")
        # Only people with a valid consent enter a bank (check_bank_entry).
        ready_teachers = [p for p in teachers if p.pk in consented]
        ready_students = [p for p in students if p.pk in consented]
        self.rng.shuffle(ready_teachers)
        self.rng.shuffle(ready_students)

        # Banks take a share of the school, and more when the planned pairs need
        # it: a group takes up to three of a mentor's places.
        teacher_mentors = self._take(
            [p for p in ready_teachers if self.experience(p) >= 5],
            share=0.35,
            places=2 * teacher_pairs,
            capacity=(1, 4),
        )
        student_mentors = self._take(
            [p for p in ready_students if self.grade(p) >= 9],
            share=0.1,
            places=2 * plan.count("student-student"),
            capacity=(1, 3),
        )
        mentor_ids = {slot.person.pk for slot in teacher_mentors + student_mentors}
        # Every young specialist (under three years) is a mentee; others by share.
        teacher_mentees = self._take(
            [p for p in ready_teachers if p.pk not in mentor_ids],
            share=0.12,
            places=2 * plan.count("teacher-teacher"),
            always=lambda p: self.experience(p) < 3,
        )
        student_mentees = self._take(
            [
                p
                for p in ready_students
                if p.pk not in mentor_ids and 2 <= self.grade(p) <= 10
            ],
            share=0.1,
            places=2 * student_pairs,
        )

        mentor_profiles, mentee_profiles = [], []
        mentor_forms, mentee_forms = [], []
        for slot in teacher_mentors:
            # A mentor in the bank has agreed to the extra duties (ст. 351.8 ТК РФ).
            duties_on = self.days_ago(10, 300)
            consents.append(
                Consent(
                    person=slot.person,
                    kind=Consent.Kind.MENTOR_DUTIES,
                    given_on=duties_on,
                    given_at=consent_given_at(duties_on),
                )
            )
            profile = self._mentor_profile(
                slot, "Подготовка к ОГЭ, формирующее оценивание"
            )
            mentor_profiles.append(profile)
            mentor_forms.append((profile, ["teacher-teacher", "teacher-student"]))
        for slot in student_mentors:
            profile = self._mentor_profile(
                slot, "Помощь с учёбой, проектная деятельность"
            )
            mentor_profiles.append(profile)
            mentor_forms.append((profile, ["student-student"]))
        for slot in teacher_mentees:
            young = self.experience(slot.person) < 3
            profile = MenteeProfile(
                person=slot.person,
                category=(
                    MenteeProfile.Category.YOUNG_SPECIALIST
                    if young
                    else self.rng.choice(TEACHER_MENTEE_CATEGORIES)
                ),
                requests="\n".join(self.rng.sample(TEACHER_REQUESTS, 2)),
                source=MenteeProfile.Source.HEAD,
                entered_on=self.days_ago(10, 300),
            )
            mentee_profiles.append(profile)
            mentee_forms.append((profile, ["teacher-teacher"]))
        for slot in student_mentees:
            profile = MenteeProfile(
                person=slot.person,
                category=self.rng.choice(STUDENT_MENTEE_CATEGORIES),
                requests=self.rng.choice(STUDENT_REQUESTS),
                source=self.rng.choice(
                    [MenteeProfile.Source.CLASS_TEACHER, MenteeProfile.Source.SELF]
                ),
                entered_on=self.days_ago(10, 300),
            )
            mentee_profiles.append(profile)
            mentee_forms.append((profile, ["student-student", "teacher-student"]))

        Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
        MentorProfile.objects.bulk_create(mentor_profiles, batch_size=BATCH_SIZE)
        trainings = self._trainings(mentor_profiles)
        MentorTraining.objects.bulk_create(trainings, batch_size=BATCH_SIZE)
        self.totals.add("trainings", len(trainings))
        MenteeProfile.objects.bulk_create(mentee_profiles, batch_size=BATCH_SIZE)
        self._link_forms(MentorProfile.forms.through, "mentorprofile", mentor_forms)
        self._link_forms(
            MenteeProfile.desired_forms.through, "menteeprofile", mentee_forms
        )
        self.totals.add("consents", len(consents))
        self.totals.add("mentor_profiles", len(mentor_profiles))
        self.totals.add("mentee_profiles", len(mentee_profiles))

        pools = {
            "teacher-teacher": (teacher_mentors, teacher_mentees),
            "student-student": (student_mentors, student_mentees),
            "teacher-student": (teacher_mentors, student_mentees),
        }
        self._pairs(organization, plan, pools)

    def _trainings(self, profiles) -> list[MentorTraining]:
        """Most mentors have trained: the bank's «обучен» column has both."""
        rng = self.trainings_rng
        trainings = []
        for profile in profiles:
            if rng.random() < 0.35:
                continue
            kind, programme, hours = rng.choice(TRAININGS)
            trainings.append(
                MentorTraining(
                    mentor=profile,
                    kind=kind,
                    programme=programme,
                    hours=hours,
                    completed_on=self.today
                    - datetime.timedelta(days=rng.randint(30, 700)),
                )
            )
        return trainings

    def experience(self, person: Person) -> int:
        return age_on(person.teaching_since, self.today)

    def grade(self, person: Person) -> int:
        return int(person.school_class[:-1])

    def _take(self, candidates, *, share, places, capacity=(1, 1), always=None):
        """Bank entries from shuffled candidates: `always` ones, then a share of
        the rest, then more until the planned pairs have `places` to fill."""
        chosen, total = [], 0
        for person in candidates:
            forced = always is not None and always(person)
            if (
                not forced
                and len(chosen) >= share * len(candidates)
                and total >= places
            ):
                continue
            slot = Slot(person, self.rng.randint(*capacity))
            chosen.append(slot)
            total += slot.capacity
        return chosen

    def _mentor_profile(self, slot: Slot, competencies: str) -> MentorProfile:
        return MentorProfile(
            person=slot.person,
            capacity=slot.capacity,
            competencies=competencies,
            entered_on=self.days_ago(10, 300),
        )

    def _link_forms(self, through, column: str, rows) -> None:
        links = [
            through(
                **{f"{column}_id": profile.pk, "mentoringform_id": self.forms[c].pk}
            )
            for profile, codes in rows
            for c in codes
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    # ---------------------------------------------------------------- pairs

    def _plan(self) -> list[str]:
        """The forms of the school's pairs, in FORM_SHARES proportions."""
        plan = []
        for code, share in FORM_SHARES.items():
            plan += [code] * round(self.pairs * share)
        plan = (plan + list(FORM_SHARES) * self.pairs)[: self.pairs]
        self.rng.shuffle(plan)
        return plan

    def _pairs(self, organization, plan, pools) -> None:
        pairs, members = [], []
        for code in plan:
            mentors, mentees = pools[code]
            group = self.rng.random() < 0.15
            wanted = self.rng.randint(2, 3) if group else 1
            # The service counts a mentor's distinct mentees in open pairs; here
            # closed pairs count too and no mentee is reused, which is stricter.
            # Using each mentee once also keeps one open pair per mentee and form.
            free = [m for m in mentors if m.capacity >= 1]
            if not free or not mentees:
                self.totals.add("pairs_skipped", 1)
                continue
            mentor = self.rng.choice(free)
            taken = [
                mentees.pop() for _ in range(min(wanted, mentor.capacity, len(mentees)))
            ]
            mentor.capacity -= len(taken)
            pair = self._pair(organization, code, group=len(taken) > 1)
            pairs.append(pair)
            members.append((pair, mentor.person, [m.person for m in taken]))

        Pair.objects.bulk_create(pairs, batch_size=BATCH_SIZE)
        participations = []
        for pair, mentor, mentees in members:
            participations.append(
                Participation(pair=pair, person=mentor, role=Participation.Role.MENTOR)
            )
            participations += [
                Participation(pair=pair, person=m, role=Participation.Role.MENTEE)
                for m in mentees
            ]
        Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
        self.totals.add("pairs", len(pairs))
        self.totals.add("participations", len(participations))
        self._programs_and_meetings(pairs)

    def _pair(self, organization, code: str, *, group: bool) -> Pair:
        status = self.rng.choices(
            list(PAIR_STATUS_SHARES), weights=list(PAIR_STATUS_SHARES.values())
        )[0]
        pair = Pair(
            organization=organization,
            form=self.forms[code],
            format=Pair.Format.GROUP if group else Pair.Format.TRADITIONAL,
            status=status,
            goal=GOALS[code],
        )
        if status == Pair.Status.DRAFT:
            pair.starts_on = self.today + datetime.timedelta(
                days=self.rng.randint(7, 60)
            )
        elif status == Pair.Status.COMPLETED:
            pair.starts_on = self.days_ago(300, 500)
        else:
            pair.starts_on = self.days_ago(20, 240)
        pair.ends_on = pair.starts_on + datetime.timedelta(
            days=self.rng.randint(180, 240)
        )
        if status == Pair.Status.COMPLETED:
            pair.closed_on = pair.ends_on
        elif status == Pair.Status.TERMINATED:
            pair.closed_on = self.today - datetime.timedelta(
                days=self.rng.randint(0, (self.today - pair.starts_on).days - 1)
            )
            pair.termination_reason = self.rng.choice(Pair.TerminationReason.values)
        if status != Pair.Status.DRAFT:
            pair.status_changed_at = self._at(pair.closed_on or pair.starts_on, 10)
        return pair

    def _at(self, day: datetime.date, hour: int) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, 0))
        )

    def _programs_and_meetings(self, pairs) -> None:
        programs, items, meetings = [], [], []
        program_status = {
            Pair.Status.APPROVED: Program.Status.APPROVED,
            Pair.Status.ACTIVE: Program.Status.IN_PROGRESS,
            Pair.Status.COMPLETED: Program.Status.DONE,
            Pair.Status.TERMINATED: Program.Status.NOT_DONE,
        }
        for pair in pairs:
            if pair.status == Pair.Status.DRAFT:
                continue  # a draft has neither a program nor meetings yet
            program = Program(
                pair=pair,
                goal=pair.goal,
                tasks="Освоить планирование; выстроить регулярную обратную связь",
                starts_on=pair.starts_on,
                ends_on=pair.ends_on,
                status=program_status[pair.status],
                approved_on=pair.starts_on,
            )
            programs.append(program)
            span = (pair.ends_on - pair.starts_on).days
            chosen = sorted(
                self.rng.sample(range(len(PROGRAM_ITEMS)), self.rng.randint(3, 5))
            )
            for position, index in enumerate(chosen, start=1):
                direction, content, form = PROGRAM_ITEMS[index]
                due = pair.starts_on + datetime.timedelta(
                    days=span * position // (len(chosen) + 1)
                )
                done = due < self.today and pair.status != Pair.Status.TERMINATED
                items.append(
                    ProgramItem(
                        program=program,
                        position=position,
                        direction=direction,
                        content=content,
                        due_on=due,
                        form=form,
                        status=(
                            ProgramItem.Status.DONE
                            if done
                            else ProgramItem.Status.PLANNED
                        ),
                        done_on=due if done else None,
                    )
                )
            meetings += self._meetings(pair)

        Program.objects.bulk_create(programs, batch_size=BATCH_SIZE)
        ProgramItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
        self.totals.add("programs", len(programs))
        self.totals.add("program_items", len(items))
        self.totals.add("meetings", len(meetings))

    def _meetings(self, pair) -> list[Meeting]:
        count = self.meetings
        last_day = pair.closed_on or pair.ends_on
        result = []
        for n in range(count):
            day = pair.starts_on + datetime.timedelta(
                days=(last_day - pair.starts_on).days * n // max(count, 1)
            )
            kind = (
                Meeting.Kind.ORGANIZATIONAL
                if n == 0
                else Meeting.Kind.PLANNING
                if n == 1
                else Meeting.Kind.FINAL
                if n == count - 1 and pair.status == Pair.Status.COMPLETED
                else Meeting.Kind.REGULAR
            )
            past = day < self.today
            status = Meeting.Status.PLANNED
            if past:
                status = (
                    Meeting.Status.CANCELLED
                    if self.rng.random() < 0.05
                    else Meeting.Status.HELD
                )
            result.append(
                Meeting(
                    pair=pair,
                    kind=kind,
                    starts_at=self._at(day, self.rng.randint(14, 17)),
                    duration_minutes=self.rng.choice((30, 45, 60, 90)),
                    format=(
                        Meeting.Format.REMOTE
                        if self.rng.random() < 0.2
                        else Meeting.Format.IN_PERSON
                    ),
                    topic=self.rng.choice(MEETING_TOPICS),
                    outcome=(
                        "Цели встречи достигнуты, договорились о следующих шагах."
                        if status == Meeting.Status.HELD
                        else ""
                    ),
                    status=status,
                )
            )
        return result


# ------------------------------------------------------------------ command

FILLED_TABLES = [
    model._meta.db_table
    for model in (
        Organization,
        Person,
        Consent,
        MentorProfile,
        MentorProfile.forms.through,
        MentorTraining,
        MenteeProfile,
        MenteeProfile.desired_forms.through,
        Pair,
        Participation,
        Program,
        ProgramItem,
        Meeting,
    )
]

# «Организаций: 40» reads right for any number, unlike «40 организаций».
LABELS = {
    "organizations": "Организаций",
    "persons": "Участников",
    "consents": "Согласий",
    "mentor_profiles": "Записей в банке наставников",
    "mentee_profiles": "Записей в банке наставляемых",
    "trainings": "Записей об обучении наставников",
    "pairs": "Пар и групп",
    "participations": "Участий в парах",
    "programs": "Программ",
    "program_items": "Пунктов программ",
    "meetings": "Встреч",
}


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " с"


class Command(BaseCommand):
    help = (
        "Создаёт район с организациями, участниками, согласиями, банками, парами, "
        "программами и встречами для нагрузочных тестов. Данные условные."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organizations", type=int, default=40, help="Сколько организаций создать."
        )
        parser.add_argument(
            "--staff", type=int, default=80, help="Педагогов в организации."
        )
        parser.add_argument(
            "--students", type=int, default=800, help="Обучающихся в организации."
        )
        parser.add_argument(
            "--pairs", type=int, default=30, help="Пар и групп в организации."
        )
        parser.add_argument(
            "--meetings", type=int, default=8, help="Встреч у каждой начатой пары."
        )
        parser.add_argument(
            "--district-name",
            help=f"Название района; по умолчанию первое свободное «{DEFAULT_DISTRICT_NAME} N».",
        )
        parser.add_argument(
            "--region",
            default=REGION,
            help=f"Субъект РФ района (создаётся, если его нет); по умолчанию «{REGION}».",
        )
        parser.add_argument(
            "--seed",
            type=int,
            help="Зерно генератора: с тем же зерном в тот же день те же данные.",
        )

    def handle(self, *args, **options):
        for name in ("organizations", "staff", "students", "pairs", "meetings"):
            if options[name] < 0:
                raise CommandError(f"--{name} не может быть отрицательным.")
        if options["organizations"] < 1:
            raise CommandError("Нужна хотя бы одна организация.")
        missing = set(FORM_SHARES) - set(
            MentoringForm.objects.filter(code__in=FORM_SHARES).values_list(
                "code", flat=True
            )
        )
        if missing:
            raise CommandError(
                f"Нет форм наставничества {', '.join(sorted(missing))}: "
                "выполните migrate."
            )

        seed = options["seed"]
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        started = time.perf_counter()
        with transaction.atomic():
            district = self._district(options["district_name"], options["region"])
            generator = Generator(
                rng=random.Random(seed),
                forms={f.code: f for f in MentoringForm.objects.all()},
                today=timezone.localdate(),
                staff=options["staff"],
                students=options["students"],
                pairs=options["pairs"],
                meetings=options["meetings"],
            )
            organizations = Organization.objects.bulk_create(
                [
                    Organization(
                        district=district,
                        full_name=(
                            "Государственное бюджетное общеобразовательное "
                            f"учреждение средняя общеобразовательная школа № {n}"
                        ),
                        short_name=f"ГБОУ СОШ № {n}",
                        place=f"г. {REGION}",
                        head_name=self._head(generator.names),
                        order_number_suffix="-од",
                    )
                    for n in range(101, 101 + options["organizations"])
                ]
            )
            generator.totals.add("organizations", len(organizations))
            for done, organization in enumerate(organizations, start=1):
                generator.organization(organization)
                if done % 10 == 0 and done < len(organizations):
                    self.stdout.write(
                        f"  Готово организаций: {done} из {len(organizations)}, "
                        + _seconds(time.perf_counter() - started)
                    )
        # Bulk-loaded rows have no planner statistics until autovacuum gets to
        # them; a benchmark run right after generating should see the plans a
        # settled database would use.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(FILLED_TABLES)}")
        elapsed = time.perf_counter() - started

        counts = generator.totals.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Район «{district.name}» (зерно {seed}) создан за {_seconds(elapsed)}."
            )
        )
        for key, label in LABELS.items():
            self.stdout.write(f"  {label + ':':<30}{counts.get(key, 0):>9}")
        if counts.get("pairs_skipped"):
            self.stdout.write(
                self.style.WARNING(
                    f"  Не создано пар: {counts['pairs_skipped']} — в банках не "
                    "хватило наставников со свободными местами или наставляемых."
                )
            )

    def _district(self, name: str | None, region_name: str) -> District:
        if name:
            if District.objects.filter(name=name).exists():
                raise CommandError(
                    f"Район «{name}» уже есть: укажите другое --district-name."
                )
        else:
            taken = set(
                District.objects.filter(
                    name__startswith=DEFAULT_DISTRICT_NAME
                ).values_list("name", flat=True)
            )
            n = 1
            while f"{DEFAULT_DISTRICT_NAME} {n}" in taken:
                n += 1
            name = f"{DEFAULT_DISTRICT_NAME} {n}"
        region, _created = Region.objects.get_or_create(name=region_name)
        return District.objects.create(name=name, region=region)

    def _head(self, names: Names) -> str:
        """«С.А. Анисимова», as the head signs orders."""
        last, first, patronymic = names.person(names.gender(female_share=0.7))
        return f"{first[0]}.{patronymic[0]}. {last}"
