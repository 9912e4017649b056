"""The demo school's documents under the district's review (load_demo).

The roadmap was approved at the start of the year; the program was returned
with comments and sent again, so the methodologist finds it waiting, with
its history, and approving it closes the school's late roadmap activity.
"""

from __future__ import annotations

import datetime

from mentoring.models import Organization, User
from reviews import services
from reviews.models import Review
from roadmap.models import Roadmap

PROGRAM = "Программа наставничества педагогических работников МБОУ «Гимназия № 517»"


def build_demo_reviews(
    *,
    organization: Organization,
    curator: User,
    methodologist: User,
    roadmap: Roadmap,
    now: datetime.datetime,
) -> None:
    def back(review: Review, *, sent: int, decided: int | None = None) -> None:
        # The services stamp today; the demo's story happened earlier.
        Review.objects.filter(pk=review.pk).update(
            submitted_at=now - datetime.timedelta(days=sent),
            decided_at=(
                now - datetime.timedelta(days=decided) if decided is not None else None
            ),
        )

    approved = services.submit_for_review(
        by=curator,
        organization=organization,
        subject=Review.Subject.ROADMAP,
        roadmap=roadmap,
        note="Дорожная карта принята педагогическим советом, просим согласовать.",
    )
    services.approve_review(
        by=methodologist,
        review=approved,
        comments="Сроки и ответственные соответствуют дорожной карте района.",
    )
    back(approved, sent=40, decided=35)
    returned = services.submit_for_review(
        by=curator,
        organization=organization,
        subject=Review.Subject.PROGRAM,
        title=f"{PROGRAM} на {roadmap.period} учебный год",
        url="https://gimnaziya517.example/nastavnichestvo/programma.pdf",
    )
    services.return_review(
        by=methodologist,
        review=returned,
        comments=(
            "Добавьте раздел о формах наставничества и критерии эффективности "
            "(показатели мониторинга). Укажите сроки персонализированных программ."
        ),
    )
    back(returned, sent=20, decided=14)
    again = services.submit_for_review(
        by=curator,
        organization=organization,
        subject=Review.Subject.PROGRAM,
        title=f"{PROGRAM} на {roadmap.period} учебный год (исправленная)",
        url="https://gimnaziya517.example/nastavnichestvo/programma-v2.pdf",
        note="Разделы о формах и критериях эффективности добавлены, сроки указаны.",
    )
    back(again, sent=3)
