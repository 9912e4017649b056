"""The demo gymnasium's public mentoring page (called by `manage.py
load_demo`): the signed order on pairs as an extract, the Положение, news
and best practices; two mentors consented to the publication of their
names, and a third withdrew it, so the page shows both rules; the curator
consented, so the roadmap names her."""

from __future__ import annotations

import datetime

from mentoring.models import (
    Consent,
    Order,
    Organization,
    Participation,
    Person,
    User,
)
from mentoring.services import give_consent, withdraw_consent
from public.models import Post, PublicDocument
from public.services import save_post, save_public_document

REGULATIONS = """1. Общие положения
1.1. Положение о системе наставничества педагогических работников определяет цели, задачи, формы и порядок осуществления наставничества в гимназии.
1.2. Положение разработано в соответствии с Федеральным законом «Об образовании в Российской Федерации», статьёй 351.8 Трудового кодекса Российской Федерации и методическими рекомендациями Минпросвещения России.
2. Цель и задачи наставничества
2.1. Цель — профессиональное становление молодых специалистов и педагогов, осваивающих новые технологии, их адаптация в коллективе.
2.2. Задачи: помощь в освоении профессии, в планировании уроков и работе с классом; распространение лучших практик гимназии.
3. Организация наставничества
3.1. Наставнические пары и группы закрепляются приказом директора с письменного согласия их участников на срок от трёх месяцев до одного года.
3.2. Для каждой пары составляется персонализированная программа наставничества; после каждой встречи участники заполняют форму обратной связи.
4. Мониторинг и оценка результатов
4.1. Куратор проводит мониторинг дважды в год; результаты обсуждаются на педагогическом совете и публикуются на сайте гимназии."""

NEWS = [
    (
        -40,
        "В гимназии закреплены наставнические пары на учебный год",
        "Приказом директора закреплены пары и группы наставников и молодых педагогов.",
        "Директор подписал приказ о закреплении наставнических пар и групп. "
        "Каждая пара составила персонализированную программу наставничества.\n\n"
        "Первые встречи прошли в сентябре: наставники и наставляемые обсудили "
        "запросы и план работы на полугодие.",
    ),
    (
        -7,
        "Семинар наставников «Обратная связь после урока»",
        "Наставники обменялись приёмами разбора урока с молодыми коллегами.",
        "На семинаре наставники показали, как строить разговор после "
        "посещённого урока: начинать с удач, называть одно главное, "
        "договариваться о следующем шаге.",
    ),
]
PRACTICES = [
    (
        -20,
        "Взаимопосещение уроков молодыми педагогами",
        "Как молодые педагоги учатся друг у друга под присмотром наставника.",
        "Молодые педагоги раз в месяц посещают уроки друг друга по плану, "
        "согласованному с наставниками, и обсуждают их по общей карте "
        "наблюдения.\n\nРезультат: за полугодие каждый провёл открытый урок.",
    ),
    (
        -3,
        "«Методический чемоданчик» молодого учителя",
        "Подборка готовых материалов для первого года работы.",
        "Наставники собрали шаблоны технологических карт, приёмы "
        "формирующего оценивания и памятки для родительских собраний.",
    ),
]


def build_demo_public_page(
    *, organization: Organization, curator: User, today: datetime.date
) -> None:
    order = (
        Order.objects.filter(
            organization=organization,
            status=Order.Status.SIGNED,
            kind=Order.Kind.PAIRS,
        )
        .order_by("signed_on", "pk")
        .first()
    )
    mentors = list(
        dict.fromkeys(
            p.person
            for p in Participation.objects.filter(
                pair__order=order, role=Participation.Role.MENTOR
            )
            .select_related("person")
            .order_by("pair_id")
        )
    )
    # The curator, named as responsible on the roadmap, consented too.
    curator_person = Person.objects.filter(user=curator).first()
    for person in [*mentors[:2], curator_person]:
        if person is None:
            continue
        give_consent(
            person=person,
            kind=Consent.Kind.DISTRIBUTION,
            given_on=today - datetime.timedelta(days=60),
            by=curator,
        )
    if len(mentors) > 2:
        withdrawn = give_consent(
            person=mentors[2],
            kind=Consent.Kind.DISTRIBUTION,
            given_on=today - datetime.timedelta(days=60),
            by=curator,
        )
        withdraw_consent(
            consent=withdrawn,
            by=curator,
            withdrawn_on=today - datetime.timedelta(days=5),
        )
    save_public_document(
        document=PublicDocument(
            organization=organization,
            kind=PublicDocument.Kind.REGULATIONS,
            title="Положение о системе наставничества педагогических работников",
            text=REGULATIONS,
            is_published=True,
            published_on=today - datetime.timedelta(days=60),
            position=1,
        ),
        by=curator,
    )
    if order is not None:
        save_public_document(
            document=PublicDocument(
                organization=organization,
                kind=PublicDocument.Kind.ORDER,
                order=order,
                is_published=True,
                published_on=order.signed_on,
                position=2,
            ),
            by=curator,
        )
    for kind, rows in ((Post.Kind.NEWS, NEWS), (Post.Kind.PRACTICE, PRACTICES)):
        for offset, title, summary, body in rows:
            save_post(
                post=Post(
                    organization=organization,
                    kind=kind,
                    title=title,
                    summary=summary,
                    body=body,
                    status=Post.Status.PUBLISHED,
                    published_on=today + datetime.timedelta(days=offset),
                    created_by=curator,
                ),
                by=curator,
            )
    # A draft the curator has not published: not on the page, 404 by address.
    save_post(
        post=Post(
            organization=organization,
            kind=Post.Kind.NEWS,
            title="Итоговая конференция наставников (черновик)",
            body="Программа конференции готовится.",
            created_by=curator,
        ),
        by=curator,
    )
