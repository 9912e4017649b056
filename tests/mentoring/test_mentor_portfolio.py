"""A mentor's portfolio for аттестация: what it prints and who may print it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.dates import short_date
from mentoring.models import (
    Consent,
    Order,
    OrderReward,
    Pair,
    Participation,
    Program,
)
from mentoring.services.programs import change_program_status
from tests.factories import (
    ConsentFactory,
    MeetingFactory,
    MentorTrainingFactory,
    OrderFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    fill_questionnaire,
)

from .orders_helpers import named_pair, pdf_text

pytestmark = pytest.mark.django_db


def _pdf(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(b"".join(response.streaming_content))


@pytest.fixture
def school():
    return OrganizationFactory(
        full_name="Муниципальное бюджетное общеобразовательное учреждение "
        "«Средняя школа № 7»",
        place="г. Межгорье",
    )


@pytest.fixture
def curator(school):
    person = PersonFactory(
        organization=school,
        last_name="Кураторова",
        first_name="Ольга",
        patronymic="Ивановна",
    )
    person.user = UserFactory(curator=True, organization=school)
    person.save(update_fields=["user"])
    return person.user


@pytest.fixture
def mentor_world(school, curator):
    """A mentor with a completed program, a pair with a pupil, training, a
    signed reward and a draft one, and two mentee feedback forms."""
    done = named_pair(
        school,
        mentor={
            "last_name": "Петрова",
            "first_name": "Анна",
            "patronymic": "Сергеевна",
            "gender": "female",
            "position": "учитель математики",
        },
        mentees=[
            {
                "last_name": "Смирнов",
                "first_name": "Илья",
                "patronymic": "Олегович",
                "position": "учитель физики",
            }
        ],
        status=Pair.Status.ACTIVE,
    )
    mentor = done.participations.get(role=Participation.Role.MENTOR).person
    mentor.user = UserFactory(organization=school)
    mentor.save(update_fields=["user"])
    mentee = done.participations.get(role=Participation.Role.MENTEE).person
    mentee.user = UserFactory(organization=school)
    mentee.save(update_fields=["user"])
    # He agreed to his data going to third parties: the portfolio names him.
    ConsentFactory(person=mentee, kind=Consent.Kind.TRANSFER)
    program = ProgramFactory(
        pair=done,
        goal="Освоение формирующего оценивания на уроках физики",
        status=Program.Status.IN_PROGRESS,
        approved_on=timezone.localdate() - datetime.timedelta(days=40),
        final_report="Наставляемый провёл открытый урок с формирующим оцениванием",
    )
    for usefulness, comfort in ((8, 10), (6, 8)):
        meeting = MeetingFactory(pair=done)
        fill_questionnaire(
            "meeting-feedback-mentee",
            respondent=mentee,
            meeting=meeting,
            answers={"usefulness": usefulness, "comfort": comfort},
        )
        # The mentor's own form about the meeting is no feedback received.
        fill_questionnaire(
            "meeting-feedback-mentor", respondent=mentor, meeting=meeting
        )
    change_program_status(program=program, to=Program.Status.DONE, by=curator)

    pupils = pair_with_a_pupil(school, mentor)
    profile = mentor.mentor_profile
    MentorTrainingFactory(
        mentor=profile,
        programme="Школа молодого наставника",
        hours=36,
        certificate="Удостоверение № 4512",
        completed_on=datetime.date(2025, 11, 20),
    )
    signed = OrderFactory(
        organization=school,
        kind=Order.Kind.REWARD,
        title="О поощрении участников наставнической деятельности",
        status=Order.Status.SIGNED,
        year=2026,
        number=17,
        number_suffix="-од",
        signed_on=datetime.date(2026, 3, 2),
    )
    OrderReward.objects.create(
        order=signed,
        person=mentor,
        kind=OrderReward.Kind.CERTIFICATE,
        basis="За высокие результаты наставляемого",
    )
    draft = OrderFactory(organization=school, kind=Order.Kind.REWARD)
    OrderReward.objects.create(
        order=draft,
        person=mentor,
        kind=OrderReward.Kind.BONUS,
        basis="Проект: ещё не подписан",
    )
    return {"mentor": mentor, "mentee": mentee, "done": done, "pupils": pupils}


def pair_with_a_pupil(school, mentor):
    """A second pair of the same mentor, with a pupil of 7Б."""
    pair = named_pair(
        school,
        mentees=[
            {
                "last_name": "Кузнецова",
                "first_name": "Дарья",
                "category": "student",
                "school_class": "7Б",
                "gender": "female",
            }
        ],
        status=Pair.Status.ACTIVE,
    )
    placeholder = pair.participations.get(role=Participation.Role.MENTOR)
    placeholder.person = mentor
    placeholder.save(update_fields=["person"])
    return pair


def test_the_portfolio_prints_the_mentors_record(client, school, curator, mentor_world):
    mentor = mentor_world["mentor"]
    client.force_login(mentor.user)
    text = _pdf(client.get(reverse("mentoring:mentor-portfolio", args=[mentor.pk])))

    # Requisites in the orders' style, the title answering «about what».
    assert school.full_name in text
    # The document's kind is letter-spaced, as the orders' «ПРИКАЗ».
    assert "ПОРТФОЛИОНАСТАВНИКА" in text.replace(" ", "")
    assert "г. Межгорье" in text
    assert "О наставнической деятельности Петровой Анны Сергеевны" in text
    assert "учитель математики" in text
    # The totals: two pairs, two mentees, one program done.
    assert "Наставнических пар и групп 2, из них действуют: 2" in text
    assert "Наставляемых 2" in text
    assert "Завершено программ 1: выполнено — 1" in text
    # The pairs: the teacher by name, the pupil by class only.
    assert "Смирнов Илья Олегович, учитель физики" in text
    assert "обучающаяся 7Б класса" in text
    assert "Кузнецова" not in text
    # The completed program with its result and documents.
    assert "Освоение формирующего оценивания на уроках физики" in text
    assert "Наставляемый провёл открытый урок" in text
    assert f"{short_date(timezone.localdate())} Выполнена" in text
    assert "Персонализированная программа наставничества (утверждена" in text
    # Feedback: two mentee forms averaging (8+10+6+8)/4; the mentor's own
    # forms are not counted.
    pair = mentor_world["done"].pk
    assert f"№ {pair} Учитель – учитель 2 8,0" in text
    # Training and the signed reward; not the draft one.
    assert "Школа молодого наставника 36 Удостоверение № 4512" in text
    assert "от 02.03.2026 № 17-од" in text
    assert "Наградить грамотой За высокие результаты наставляемого" in text
    assert "Проект: ещё не подписан" not in text
    # The curator certifies it at the end.
    tail = text[text.index("Сведения верны") :]
    assert "Куратор программы наставничества" in tail
    assert "О.И. Кураторова" in tail


def test_a_mentee_without_a_transfer_consent_is_not_named(client, school, curator):
    pair = named_pair(
        school,
        mentees=[{"last_name": "Безсогласова", "position": "учитель истории"}],
    )
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    client.force_login(curator)
    text = _pdf(client.get(reverse("mentoring:mentor-portfolio", args=[mentor.pk])))
    assert "Безсогласова" not in text
    assert "1 учитель истории" in text


def test_a_mentor_without_records_gets_an_honest_empty_portfolio(
    client, school, curator
):
    pair = named_pair(school)
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    client.force_login(curator)
    text = _pdf(client.get(reverse("mentoring:mentor-portfolio", args=[mentor.pk])))
    assert "Завершённых программ нет." in text
    assert "Сведений об обучении нет." in text
    assert "Поощрений по приказам нет." in text


@pytest.fixture
def people(school, mentor_world):
    other = OrganizationFactory(district=school.district)
    far = OrganizationFactory()
    # The district gets the portfolio on the mentor's consent to transfer.
    ConsentFactory(person=mentor_world["mentor"], kind=Consent.Kind.TRANSFER)
    return {
        "mentor": mentor_world["mentor"],
        "mentee": mentor_world["mentee"],
        "other_school_curator": UserFactory(curator=True, organization=other),
        "director": UserFactory(director=True, organization=school),
        "psychologist": UserFactory(psychologist=True, organization=school),
        "methodologist": UserFactory(methodologist=True, district=school.district),
        "far_methodologist": UserFactory(methodologist=True, district=far.district),
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentor", 200),
        ("mentee", 403),  # sees her mentor, not his file
        ("director", 200),
        ("methodologist", 200),
        ("psychologist", 403),
        ("other_school_curator", 404),
        ("far_methodologist", 404),
    ],
)
def test_who_may_print_a_portfolio(client, people, who, status):
    user = people[who]
    client.force_login(getattr(user, "user", None) or user)
    url = reverse("mentoring:mentor-portfolio", args=[people["mentor"].pk])
    assert client.get(url).status_code == status


def test_a_person_who_never_mentored_has_no_portfolio(client, curator, people):
    client.force_login(curator)
    url = reverse("mentoring:mentor-portfolio", args=[people["mentee"].pk])
    assert client.get(url).status_code == 404


def test_a_mentee_cannot_print_her_own_as_a_portfolio(client, people):
    mentee = people["mentee"]
    client.force_login(mentee.user)
    url = reverse("mentoring:mentor-portfolio", args=[mentee.pk])
    assert client.get(url).status_code == 404


def test_the_district_gets_no_portfolio_without_the_mentors_transfer_consent(
    client, school, curator
):
    pair = named_pair(school)
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    client.force_login(UserFactory(methodologist=True, district=school.district))
    url = reverse("mentoring:mentor-portfolio", args=[mentor.pk])
    response = client.get(url, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "только с согласия на передачу персональных данных" in response.text
    # With the consent, the same methodologist prints it.
    ConsentFactory(person=mentor, kind=Consent.Kind.TRANSFER)
    assert client.get(url)["Content-Type"] == "application/pdf"
