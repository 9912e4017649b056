"""A school whose banks hold exactly the mentees and mentors a benchmark asks for.

`generate_district` draws its banks as shares of a school's staff and
students, so a matching run of a given size (1,000 × 300, 5,000 × 1,500)
cannot be asked of it. This writes one organization's people, their
consents, bank profiles with forms, and the ranks a third of the mentees
gave after the group meeting, with `bulk_create` in a few statements per
table: 6,500 people take seconds, where factories per row take minutes.

Every rule a run checks holds by construction (valid consents, the mentor
duties consent of teacher mentors, categories each form allows), so the
run's size is the bank's.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from mentoring.models import (
    Consent,
    District,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    Organization,
    Person,
    Preference,
    Region,
)
from mentoring.services.consents import consent_given_at

BATCH_SIZE = 5000
SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
]
FIRST_NAMES = [
    "Анна",
    "Мария",
    "Ольга",
    "Елена",
    "Иван",
    "Пётр",
    "Сергей",
    "Алексей",
    "Ирина",
    "Дмитрий",
]
SUBJECTS = ["математика", "физика", "химия", "русский язык", "история", "биология"]
TEACHER_TOPICS = [
    "Планирование уроков по ФОП",
    "Работа с родителями",
    "Дисциплина на уроке",
    "Цифровые инструменты на уроке",
    "Подготовка к ОГЭ по химии",
    "Формирующее оценивание",
    "Обучающиеся с ОВЗ",
    "Классное руководство",
    "Подготовка к аттестации",
    "Профильный ЕГЭ по математике",
]
STUDENT_TOPICS = [
    "Подготовка к олимпиаде",
    "Пробелы в знаниях по математике",
    "Адаптация в новом классе",
    "Выбор профиля обучения",
    "Проектная деятельность",
    "Чтение и понимание текста",
]
# Of the bank: teacher mentors (the rest are senior students), teacher mentees
# (the rest are students), as in a school where students mentor students.
TEACHER_MENTORS, TEACHER_MENTEES = 0.8, 0.3


@transaction.atomic
def bulk_school(*, mentees: int, mentors: int, seed: int = 15) -> Organization:
    """One organization with `mentees` and `mentors` in its banks, none paired."""
    rng = random.Random(seed)
    today = timezone.localdate()
    region, _created = Region.objects.get_or_create(name="Санкт-Петербург")
    district = District.objects.create(
        name=f"Район подбора {seed}-{District.objects.count() + 1}", region=region
    )
    organization = Organization.objects.create(
        district=district,
        full_name=f"Государственное бюджетное общеобразовательное учреждение № {seed}",
        short_name=f"ГБОУ № {seed}",
        place="г. Санкт-Петербург",
        head_name="А.А. Иванова",
        order_number_suffix="-од",
    )
    forms = {f.code: f for f in MentoringForm.objects.all()}

    def person(n: int, *, teacher: bool, grade: int = 0) -> Person:
        if teacher:
            age = rng.randint(23, 64)
            return Person(
                organization=organization,
                last_name=rng.choice(SURNAMES),
                first_name=rng.choice(FIRST_NAMES),
                patronymic=f"№ {n}",
                birth_date=today - datetime.timedelta(days=age * 365 + 100),
                category=Person.Category.TEACHER,
                subjects=rng.choice(SUBJECTS),
                teaching_since=today
                - datetime.timedelta(days=rng.randint(30, (age - 22) * 365)),
            )
        return Person(
            organization=organization,
            last_name=rng.choice(SURNAMES),
            first_name=rng.choice(FIRST_NAMES),
            patronymic=f"№ {n}",
            birth_date=today - datetime.timedelta(days=(grade + 7) * 365 - 30),
            category=Person.Category.STUDENT,
            school_class=f"{grade}А",
            legal_representative="Законный представитель",
        )

    teacher_mentors = round(mentors * TEACHER_MENTORS)
    teacher_mentees = round(mentees * TEACHER_MENTEES)
    people = Person.objects.bulk_create(
        [person(n, teacher=True) for n in range(teacher_mentors)]
        + [
            person(n, teacher=False, grade=rng.randint(9, 11))
            for n in range(teacher_mentors, mentors)
        ]
        + [person(mentors + n, teacher=True) for n in range(teacher_mentees)]
        + [
            person(mentors + n, teacher=False, grade=rng.randint(2, 8))
            for n in range(teacher_mentees, mentees)
        ],
        batch_size=BATCH_SIZE,
    )
    mentor_people, mentee_people = people[:mentors], people[mentors:]
    given = today - datetime.timedelta(days=30)
    consents = []
    for p in people:
        minor = p.is_minor(today)
        kind = Consent.Kind.GUARDIAN if minor else Consent.Kind.PERSONAL_DATA
        consents.append(
            Consent(
                person=p,
                kind=kind,
                representative_name=p.legal_representative if minor else "",
                given_on=given,
                given_at=consent_given_at(given),
            )
        )
    consents += [
        Consent(
            person=p,
            kind=Consent.Kind.MENTOR_DUTIES,
            given_on=given,
            given_at=consent_given_at(given),
        )
        for p in mentor_people[:teacher_mentors]
    ]
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)

    mentor_profiles = MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                person=p,
                capacity=rng.randint(1, 4)
                if n < teacher_mentors
                else rng.randint(1, 2),
                competencies=", ".join(
                    rng.sample(
                        TEACHER_TOPICS if n < teacher_mentors else STUDENT_TOPICS, 3
                    )
                ),
                entered_on=given,
            )
            for n, p in enumerate(mentor_people)
        ],
        batch_size=BATCH_SIZE,
    )
    mentee_profiles = MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(
                person=p,
                category=(
                    MenteeProfile.Category.YOUNG_SPECIALIST
                    if n < teacher_mentees
                    else MenteeProfile.Category.GIFTED
                ),
                requests="\n".join(
                    rng.sample(
                        TEACHER_TOPICS if n < teacher_mentees else STUDENT_TOPICS, 2
                    )
                ),
                source=MenteeProfile.Source.HEAD,
                entered_on=given,
            )
            for n, p in enumerate(mentee_people)
        ],
        batch_size=BATCH_SIZE,
    )
    MentorForms = MentorProfile.forms.through
    MentorForms.objects.bulk_create(
        [
            MentorForms(mentorprofile_id=profile.pk, mentoringform_id=forms[code].pk)
            for n, profile in enumerate(mentor_profiles)
            for code in (
                ("teacher-teacher", "teacher-student")
                if n < teacher_mentors
                else ("student-student",)
            )
        ],
        batch_size=BATCH_SIZE,
    )
    MenteeForms = MenteeProfile.desired_forms.through
    MenteeForms.objects.bulk_create(
        [
            MenteeForms(
                menteeprofile_id=profile.pk,
                mentoringform_id=forms[
                    "teacher-teacher"
                    if n < teacher_mentees
                    else rng.choice(["student-student", "teacher-student"])
                ].pk,
            )
            for n, profile in enumerate(mentee_profiles)
        ],
        batch_size=BATCH_SIZE,
    )
    # A third of the mentees ranked three mentors after the group meeting.
    Preference.objects.bulk_create(
        [
            Preference(side=Preference.Side.MENTEE, chooser=p, chosen=chosen, rank=rank)
            for p in mentee_people[::3]
            for rank, chosen in enumerate(rng.sample(mentor_people, 3), 1)
        ],
        batch_size=BATCH_SIZE,
    )
    # Fresh rows have no planner statistics until autovacuum comes by.
    tables = [
        m._meta.db_table
        for m in (
            Person,
            Consent,
            MentorProfile,
            MenteeProfile,
            MentorForms,
            MenteeForms,
            Preference,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
    return organization
