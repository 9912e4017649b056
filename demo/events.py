"""The district's events in the demo: a seminar held last month with its
attendance marked (the mentors' training records show it) and a
consultation ahead that the curator and the mentor see on their home pages."""

from __future__ import annotations

import datetime

from events import services
from events.models import Event, Registration
from mentoring.models import MentorProfile, Organization, User
from mentoring.services import missing_consents


def build_demo_events(
    *,
    organization: Organization,
    methodologist: User,
    curator: User,
    mentor_key_person,
    today: datetime.date,
) -> None:
    district = organization.district
    mentors = [
        m
        for m in MentorProfile.objects.filter(person__organization=organization)
        .select_related("person")
        .prefetch_related("person__consents")
        .order_by("person__last_name")
        if not missing_consents(person=m.person)
    ]
    held = services.save_event(
        by=methodologist,
        district=district,
        kind=Event.Kind.SEMINAR,
        title="Наставничество как ресурс профессионального роста молодого педагога",
        starts_on=today - datetime.timedelta(days=24),
        ends_on=today - datetime.timedelta(days=24),
        time="15:00–17:30",
        place="Информационно-методический центр, ул. Садовая, 12, ауд. 21",
        programme=(
            "1. Роль и функции наставника в образовательной организации.\n"
            "2. Персонализированная программа наставничества: структура и "
            "планирование.\n"
            "3. Обратная связь после встречи: практикум."
        ),
        hours=3,
    )
    # Put down before the seminar, as the curators did then; the service
    # takes no registrations for an event already over.
    registrations = [
        Registration.objects.create(event=held, mentor=m, registered_by=curator)
        for m in mentors[:4]
    ]
    services.mark_attendance(
        event=held, present=[r.pk for r in registrations[:3]], by=methodologist
    )

    ahead = services.save_event(
        by=methodologist,
        district=district,
        kind=Event.Kind.CONSULTATION,
        title="Консультация: мониторинг и отчёт о реализации программы",
        starts_on=today + datetime.timedelta(days=9),
        ends_on=today + datetime.timedelta(days=9),
        time="14:00–15:30",
        place="Онлайн, ссылка придёт на почту",
        programme="Анкеты наставника и наставляемого, сроки мониторинга, отчёт.",
        hours=2,
    )
    services.save_event(
        by=methodologist,
        district=district,
        kind=Event.Kind.SESSION,
        title="Установочная сессия для новых наставников района",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=31),
        time="10:00–13:00",
        place="Информационно-методический центр, ул. Садовая, 12, актовый зал",
        programme="Нормативная база, формы наставничества, роли участников.",
        hours=8,
    )
    first = [m for m in mentors if m.person_id == mentor_key_person.pk]
    for mentor in (first + [m for m in mentors if m not in first])[:2]:
        services.register_mentor(event=ahead, mentor=mentor, by=curator)
