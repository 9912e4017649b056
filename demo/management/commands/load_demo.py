"""`manage.py load_demo`: a believable gymnasium to click through after `make run`.

Consents, bank entries, pairs and accounts go through the services, so the demo
obeys the rules the curator works under; everything is written in one
transaction, so a failed load leaves no half-built school behind. The data
themselves are in `demo/data.py`.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demo import data
from demo.district import build_demo_district
from demo.events import build_demo_events
from demo.public import build_demo_public_page
from demo.reviews import build_demo_reviews
from demo.roadmap import build_demo_roadmap
from demo.surveys import fill_demo_surveys
from mentoring.matching.scoring import Weights
from mentoring.models import (
    BankStatus,
    Consent,
    District,
    DocumentKind,
    Meeting,
    MentoringForm,
    MentorTraining,
    Order,
    Organization,
    Pair,
    Person,
    Preference,
    Program,
    ProgramItem,
    Region,
    Role,
    User,
)
from mentoring.services import (
    change_pair_status,
    create_account,
    create_pair,
    enter_mentee_bank,
    enter_mentor_bank,
    give_consent,
    record_document,
    save_mentee_profile,
    withdraw_consent,
)
from mentoring.services.matching import run_matching, save_preference
from mentoring.services.orders import (
    create_pair_order,
    mark_acquainted,
    sign_order,
    submit_order,
)

# Issue 14, the information base.
from mentoring.services.results import record_program_results

# Same seed, same school: screenshots and bug reports stay comparable.
SEED = 517

# The story in days from the load day, so a fresh demo is always "this autumn":
# consents collected, banks formed and mentors trained, the order on pairs signed,
# programmes running since.
CONSENTS_ON = -80
CERTIFICATES_ON = -100
# This outside mentor's certificate runs out within a month: the curator's
# home page asks for a new one.
CERTIFICATE_DUE = ("developer", -350)
DUTIES_CONSENTS_ON = -66
BANKS_ON = -64
APPROVED_ON = -50
STARTS_ON = -45
DUTIES_WITHDRAWN_ON = -20
GUARDIAN_WITHDREW_ON = -12
TERMINATED_ON = -10
COMPLETED_ON = -4
# The newcomer's pair waits in an order the curator sent for signature.
PENDING_ORDER_SENT = -1
DRAFTS_START = 14
# Meetings are planned this far ahead of the load day.
PLANNED_AHEAD = 30


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Command(BaseCommand):
    help = "Загрузить демонстрационную гимназию № 517: участников, согласия, банки, пары и учётные записи."

    def handle(self, *args, **options):
        if Organization.objects.filter(
            district__name=data.DISTRICT,
            short_name=data.ORGANIZATION["short_name"],
        ).exists():
            self.stdout.write(_("Демонстрационные данные уже загружены."))
            self.stdout.write(logins_text())
            return
        usernames = [account.username for account in data.ACCOUNTS]
        taken = list(
            User.objects.filter(username__in=usernames).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise CommandError(
                _(
                    "Учётные записи %(names)s уже есть, а демонстрационной гимназии "
                    "нет. Загрузите демонстрационные данные в чистую базу."
                )
                % {"names": ", ".join(sorted(taken))}
            )
        started = time.monotonic()
        with transaction.atomic():
            school = DemoSchool(today=timezone.localdate())
            school.build()
        self.stdout.write(
            _(
                "Демонстрационные данные загружены за %(seconds)s с: %(name)s, "
                "участников — %(people)s, пар и групп — %(pairs)s."
            )
            % {
                "name": data.ORGANIZATION["short_name"],
                "seconds": f"{time.monotonic() - started:.1f}".replace(".", ","),
                "people": school.organization.persons.count(),
                "pairs": school.organization.pairs.count(),
            }
        )
        self.stdout.write(logins_text())


def logins_text() -> str:
    lines = [
        _("Откройте %(url)s; пароль у всех учётных записей: %(password)s")
        % {"url": data.URL, "password": data.PASSWORD}
    ]
    lines += [f"  {a.username:<15}{a.label}" for a in data.ACCOUNTS]
    return "\n".join(lines)


class DemoSchool:
    """Builds the school step by step; each step uses what the previous made."""

    def __init__(self, *, today: datetime.date):
        self.today = today
        self.now = timezone.now()
        self.rng = random.Random(SEED)
        # The academic year that began on the last 1 September.
        self.year = today.year if today.month >= 9 else today.year - 1
        self.people: dict[str, Person] = {}
        self.students: list[Person] = []
        # A student's parent signs the consent while the student is a minor.
        self.parents: dict[int, str] = {}
        self.names: set[str] = set()
        self.surnames: dict[str, set[str]] = defaultdict(set)
        self.users: dict[str, User] = {}
        self.forms = {form.code: form for form in MentoringForm.objects.all()}

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def build(self) -> None:
        self.create_organization()
        self.create_people()
        self.create_accounts()
        self.record_consents()
        self.record_certificates()
        self.fill_banks()
        self.record_trainings()
        pairs = [(plan, self.create_pair(plan)) for plan in data.PAIRS]
        self.sign_pair_order(
            [pair for plan, pair in pairs if plan.fate != Pair.Status.DRAFT]
        )
        for plan, pair in pairs:
            self.run_pair(plan, pair)
        self.send_pair_order(
            [
                pair
                for plan, pair in pairs
                if set(plan.mentees) & data.PAIRS_IN_PENDING_ORDER
            ]
        )
        for key in data.MENTORS_WITHDREW_DUTIES_CONSENT:
            self.withdraw_duties(key)
        roadmap = build_demo_roadmap(
            organization=self.organization,
            curator=self.curator,
            director=self.people["director"],
            curator_person=self.people["curator"],
            psychologist=self.people["psychologist"],
            today=self.today,
        )
        # Issue 14, review: the program waits for the district's decision.
        build_demo_reviews(
            organization=self.organization,
            curator=self.curator,
            methodologist=self.users["metodist"],
            roadmap=roadmap,
            now=self.now,
        )
        # District events (issue 14): a seminar attended, a consultation ahead.
        build_demo_events(
            organization=self.organization,
            methodologist=self.users["metodist"],
            curator=self.curator,
            mentor_key_person=self.people["lebedeva"],
            today=self.today,
        )
        self.collect_preferences()
        self.run_matching()
        fill_demo_surveys(organization=self.organization, now=self.now)
        # Issue 14 (public): the school's public mentoring page.
        build_demo_public_page(
            organization=self.organization, curator=self.curator, today=self.today
        )
        # Issue 14: the neighbours, the pilots and the district's roadmap.
        build_demo_district(
            district=self.district,
            gymnasium=self.organization,
            methodologist=self.users["metodist"],
            today=self.today,
        )

    # ------------------------------------------------------------ people

    def create_organization(self) -> None:
        self.region, _created = Region.objects.get_or_create(name=data.REGION)
        self.district, _created = District.objects.get_or_create(
            name=data.DISTRICT, defaults={"region": self.region}
        )
        # The register goes on from the roadmap's approval order of this
        # academic year.
        self.organization = Organization(
            district=self.district,
            kind=Organization.Kind.SCHOOL,
            order_number_next=data.ROADMAP_ORDER_NUMBER + 1,
            order_number_year=(
                self.today.year if self.today.month >= 9 else self.today.year - 1
            ),
            **data.ORGANIZATION,
        )
        self.organization.full_clean()
        self.organization.save()

    def create_people(self) -> None:
        people = []
        for row in data.STAFF:
            person = self.person(
                row.last_name,
                row.first_name,
                row.patronymic,
                gender=row.gender,
                category=Person.Category.TEACHER,
                birth_date=self.birth_date(row.age),
                position=row.position,
                subjects=row.subjects,
                teaching_since=datetime.date(self.year - row.experience, 9, 1),
                qualification=row.qualification,
            )
            self.people[row.key] = person
            people.append(person)
        for row in data.OUTSIDERS:
            person = self.person(
                row.last_name,
                row.first_name,
                row.patronymic,
                gender=row.gender,
                category=row.category,
                birth_date=self.birth_date(row.age),
                position=row.position,
                subjects=row.subjects,
            )
            self.people[row.key] = person
            people.append(person)
        parents = []
        for school_class, size in data.CLASS_SIZES.items():
            adults = data.ADULT_STUDENTS.get(school_class, 0)
            for number in range(size):
                student, parent = self.student(school_class, adult=number < adults)
                self.students.append(student)
                parents.append(parent)
        for person in people + self.students:
            person.full_clean()
        Person.objects.bulk_create(people + self.students)
        self.parents = {
            student.pk: parent
            for student, parent in zip(self.students, parents, strict=True)
        }
        self.cast_students()

    def person(self, last_name, first_name, patronymic, **fields) -> Person:
        full_name = f"{last_name} {first_name} {patronymic}"
        # Tests and the mentor's page tell people apart by full name.
        assert full_name not in self.names, full_name
        self.names.add(full_name)
        return Person(
            organization=self.organization,
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            **fields,
        )

    def birth_date(self, age: int) -> datetime.date:
        latest = add_years(self.today, -age)
        return latest - datetime.timedelta(days=self.rng.randrange(365))

    def student(self, school_class: str, *, adult: bool) -> tuple[Person, str]:
        """A student and the parent who signs for them while they are a minor."""
        grade = int(school_class[:-1])
        if adult:
            # Started school a year late: already 18 in the autumn of the 11th grade.
            born = add_years(self.today, -18) - datetime.timedelta(
                days=self.rng.randint(20, 150)
            )
        else:
            # First-graders are 6.5 to 7.5 years old on 1 September.
            earliest = datetime.date(self.year - grade - 6, 3, 1)
            born = earliest + datetime.timedelta(days=self.rng.randrange(365))
        while True:
            surname = self.rng.choice(data.SURNAMES)
            father = self.rng.choice(data.FATHERS)
            male = self.rng.random() < 0.5
            if male:
                first_name = self.rng.choice(data.BOYS)
                last_name, patronymic = surname, data.PATRONYMICS[father][0]
            else:
                first_name = self.rng.choice(data.GIRLS)
                last_name = data.feminine(surname)
                patronymic = data.PATRONYMICS[father][1]
            # Two unrelated namesakes in one class would only confuse.
            classmates = self.surnames[school_class]
            if (
                f"{last_name} {first_name} {patronymic}" not in self.names
                and surname not in classmates
            ):
                classmates.add(surname)
                break
        grandfather = self.rng.choice(list(data.GRANDFATHERS.values()))
        if self.rng.random() < 0.7:
            mother = self.rng.choice(data.MOTHERS)
            parent = f"{data.feminine(surname)} {mother} {grandfather[1]}"
        else:
            parent = f"{surname} {father} {grandfather[0]}"
        person = self.person(
            last_name,
            first_name,
            patronymic,
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            category=Person.Category.STUDENT,
            birth_date=born,
            school_class=school_class,
        )
        if person.is_minor(self.today):
            person.legal_representative = parent
        return person, parent

    def cast_students(self) -> None:
        """Give the students with a part in the story their places."""
        free = defaultdict(list)
        for student in self.students:
            free[student.school_class].append(student)
        for role in data.STUDENT_ROLES:
            candidates = free[role.school_class]
            chosen = next(s for s in candidates if s.is_minor(self.today) != role.adult)
            candidates.remove(chosen)
            self.people[role.key] = chosen

    # ------------------------------------------------------------ accounts

    def create_accounts(self) -> None:
        for account in data.ACCOUNTS:
            if not account.role:
                self.users[account.username] = User.objects.create_superuser(
                    username=account.username,
                    password=data.PASSWORD,
                    first_name="Администратор",
                )
                continue
            person = self.people.get(account.person)
            if person is not None:
                last_name, first_name = person.last_name, person.first_name
            elif account.role == Role.REGIONAL:
                last_name, first_name, _patronymic = data.REGIONAL
            else:
                last_name, first_name, _patronymic = data.METHODOLOGIST
            methodologist = account.role == Role.METHODOLOGIST
            regional = account.role == Role.REGIONAL
            self.users[account.username] = create_account(
                username=account.username,
                password=data.PASSWORD,
                role=account.role,
                organization=(None if methodologist or regional else self.organization),
                district=self.district if methodologist else None,
                region=self.region if regional else None,
                person=person,
                first_name=first_name,
                last_name=last_name,
            )
        self.curator = self.users["kurator"]
        self.director = self.users["direktor"]

    # ------------------------------------------------------------ consents

    def record_consents(self) -> None:
        for row in data.STAFF:
            person = self.people[row.key]
            if row.key in data.STAFF_WITHOUT_CONSENT:
                continue
            if row.key in data.STAFF_WITH_EXPIRED_CONSENT:
                # Given for last school year only and not renewed since.
                self.consent(
                    person,
                    Consent.Kind.PERSONAL_DATA,
                    given_on=datetime.date(self.year - 1, 9, 2),
                    valid_until=datetime.date(self.year, 8, 31),
                )
                continue
            given_on = self.gathered()
            self.consent(person, Consent.Kind.PERSONAL_DATA, given_on=given_on)
            # 156-ФЗ: the district sees staff only on a separate consent to
            # transfer, signed the same day on its own form.
            self.consent(person, Consent.Kind.TRANSFER, given_on=given_on)
        for row in data.OUTSIDERS:
            self.consent(
                self.people[row.key],
                Consent.Kind.PERSONAL_DATA,
                given_on=self.gathered(),
                medium=(
                    Consent.Medium.ELECTRONIC
                    if row.category == Person.Category.UNIVERSITY_STUDENT
                    else Consent.Medium.PAPER
                ),
            )
        # ТК РФ ст. 351.8: a teacher mentors only with written consent, for a term.
        for entry in data.MENTORS:
            person = self.people[entry.key]
            if (
                person.category != Person.Category.TEACHER
                or entry.key in data.MENTORS_WITHOUT_DUTIES_CONSENT
            ):
                continue
            given_on = self.day(DUTIES_CONSENTS_ON + self.rng.randint(0, 3))
            self.consent(
                person,
                Consent.Kind.MENTOR_DUTIES,
                given_on=given_on,
                valid_until=add_years(given_on, 1),
            )
        cast = {self.people[role.key].pk for role in data.STUDENT_ROLES}
        for student in self.students:
            if (
                student.pk not in cast
                and self.rng.random() < data.STUDENTS_WITHOUT_CONSENT
            ):
                continue
            self.student_consents(student)

    def record_certificates(self) -> None:
        """ТК РФ ст. 351.1: outside adults mentoring pupils bring a certificate
        of no criminal record (the forms catalogue requires it)."""
        for number, row in enumerate(data.OUTSIDERS, start=50210):
            offset = (
                CERTIFICATE_DUE[1] if row.key == CERTIFICATE_DUE[0] else CERTIFICATES_ON
            )
            record_document(
                person=self.people[row.key],
                kind=DocumentKind.CRIMINAL_RECORD,
                number=f"{number}/Д",
                issued_on=self.day(offset),
                issued_by="ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
                by=self.curator,
            )

    def student_consents(self, student: Person) -> None:
        given_on = self.gathered()
        # Collected for the school year, as schools do.
        valid_until = datetime.date(self.year + 1, 8, 31)
        if student.is_minor(given_on):
            self.consent(
                student,
                Consent.Kind.GUARDIAN,
                given_on=given_on,
                valid_until=valid_until,
                representative_name=self.parents[student.pk],
            )
        if not student.is_minor(self.today):
            # Of age now: the student's own consent, from the 18th birthday on.
            birthday = add_years(student.birth_date, 18)
            self.consent(
                student,
                Consent.Kind.PERSONAL_DATA,
                given_on=max(given_on, birthday),
                valid_until=valid_until,
            )

    def gathered(self) -> datetime.date:
        return self.day(CONSENTS_ON + self.rng.randint(0, 10))

    def consent(self, person: Person, kind: str, **fields) -> Consent:
        return give_consent(person=person, kind=kind, by=self.curator, **fields)

    # ------------------------------------------------------------ banks

    def fill_banks(self) -> None:
        for entry in data.MENTORS:
            enter_mentor_bank(
                person=self.people[entry.key],
                by=self.curator,
                status=BankStatus.IN_BANK,
                capacity=entry.capacity,
                competencies=entry.competencies,
                notes=entry.notes,
                entered_on=self.day(BANKS_ON + self.rng.randint(0, 5)),
                forms=[self.forms[code] for code in entry.forms],
            )
        for entry in data.MENTEES:
            enter_mentee_bank(
                person=self.people[entry.key],
                by=self.curator,
                status=BankStatus.IN_BANK,
                category=entry.category,
                requests=entry.requests,
                difficulties=entry.difficulties,
                source=entry.source,
                notes=entry.notes,
                entered_on=self.day(BANKS_ON + self.rng.randint(0, 5)),
                desired_forms=[self.forms[code] for code in entry.forms],
            )

    def record_trainings(self) -> None:
        trainings = [
            MentorTraining(
                mentor=self.people[key].mentor_profile,
                kind=training.kind,
                programme=training.programme,
                completed_on=self.day(training.days),
                hours=training.hours,
                certificate=training.certificate,
            )
            for training in data.TRAININGS
            for key in training.mentors
        ]
        for training in trainings:
            training.full_clean()
        MentorTraining.objects.bulk_create(trainings)

    # ------------------------------------------------------------ pairs

    def texts(self, plan: data.PairPlan) -> dict:
        return {
            "subject": plan.subject,
            "whom": "молодых учителей" if len(plan.mentees) > 1 else "молодого учителя",
        }

    def create_pair(self, plan: data.PairPlan) -> Pair:
        theme = data.THEMES[plan.theme]
        mentees = [self.people[key] for key in plan.mentees]
        start = self.day(DRAFTS_START if plan.fate == Pair.Status.DRAFT else STARTS_ON)
        return create_pair(
            organization=self.organization,
            form=self.forms[plan.form],
            mentors=[self.people[key] for key in plan.mentors],
            mentees=mentees,
            by=self.curator,
            format=plan.format,
            starts_on=start,
            ends_on=self.ends_on(start, theme.days),
            goal=theme.pair_goal.format(**self.texts(plan)),
        )

    def sign_pair_order(self, pairs: list[Pair]) -> None:
        """The autumn order on pairs: signed, so its pairs are at work."""
        order = create_pair_order(
            organization=self.organization, pairs=pairs, by=self.curator
        )
        submit_order(order=order, by=self.curator)
        sign_order(order=order, director=self.director, on=self.day(APPROVED_ON))
        # Everybody signed the familiarization sheet within the week.
        for acquaintance in order.acquaintances.all():
            mark_acquainted(
                acquaintance=acquaintance,
                on=self.day(APPROVED_ON + self.rng.randint(0, 5)),
                by=self.curator,
            )

    def send_pair_order(self, pairs: list[Pair]) -> None:
        """An order on the director's desk, waiting for the signature."""
        order = create_pair_order(
            organization=self.organization, pairs=pairs, by=self.curator
        )
        submit_order(order=order, by=self.curator)
        Order.objects.filter(pk=order.pk).update(
            submitted_at=self.now + datetime.timedelta(days=PENDING_ORDER_SENT)
        )

    def run_pair(self, plan: data.PairPlan, pair: Pair) -> None:
        """Take the pair to its final status, write its programme."""
        theme = data.THEMES[plan.theme]
        mentees = [self.people[key] for key in plan.mentees]
        texts = self.texts(plan)
        pair.refresh_from_db()
        status = Pair.Status
        if plan.fate == status.COMPLETED:
            pair = self.move(
                pair, status.COMPLETED, COMPLETED_ON, comment="Программа выполнена."
            )
        if plan.fate == status.TERMINATED:
            # The one story of a withdrawn consent: the parent withdraws it and
            # the director ends the pair.
            for mentee in mentees:
                withdraw_consent(
                    consent=mentee.consents.get(kind=Consent.Kind.GUARDIAN),
                    by=self.curator,
                    withdrawn_on=self.day(GUARDIAN_WITHDREW_ON),
                )
            pair = self.move(
                pair,
                status.TERMINATED,
                TERMINATED_ON,
                reason=Pair.TerminationReason.CONSENT_WITHDRAWN,
                comment="Законный представитель отозвал согласие на обработку "
                "персональных данных.",
            )
        for key in plan.mentees:
            if key in data.MENTEES_LEAVING_BANK:
                self.leave_bank(key)
        if plan.fate != status.DRAFT and theme.items:
            self.write_program(pair, plan, theme, texts)
        if plan.fate != status.DRAFT:
            self.schedule_meetings(pair, theme)

    def ends_on(self, start: datetime.date, days: int) -> datetime.date:
        end = start + datetime.timedelta(days=days)
        # Year-long programmes end with the school year, at the end of May.
        school_year_end = datetime.date(self.year + 1, 5, 31)
        if start + datetime.timedelta(days=30) < school_year_end < end:
            return school_year_end
        return end

    def move(self, pair: Pair, to: str, offset: int, **fields) -> Pair:
        return change_pair_status(
            pair=pair, to=to, by=self.director, on=self.day(offset), **fields
        )

    def leave_bank(self, key: str) -> None:
        status, note = data.MENTEES_LEAVING_BANK[key]
        profile = self.people[key].mentee_profile
        profile.status, profile.notes = status, note
        save_mentee_profile(profile=profile, by=self.curator)

    def withdraw_duties(self, key: str) -> None:
        withdraw_consent(
            consent=self.people[key].consents.get(kind=Consent.Kind.MENTOR_DUTIES),
            by=self.curator,
            withdrawn_on=self.day(DUTIES_WITHDRAWN_ON),
        )

    def write_program(
        self, pair: Pair, plan: data.PairPlan, theme: data.Theme, texts: dict
    ) -> None:
        completed = pair.status == Pair.Status.COMPLETED
        requests = []
        for key in plan.mentees:
            for line in self.people[key].mentee_profile.requests.splitlines():
                if line not in requests:
                    requests.append(line)
        if pair.status == Pair.Status.APPROVED:
            status, approved_on = Program.Status.ON_APPROVAL, None
        else:
            # Approved after the planning meeting (the third one).
            approved_on = pair.starts_on + datetime.timedelta(days=18)
            status = Program.Status.DONE if completed else Program.Status.IN_PROGRESS
        program = Program(
            pair=pair,
            goal=theme.goal.format(**texts),
            tasks=theme.tasks,
            difficulties="\n".join(requests),
            strengths=theme.strengths,
            expected_results=theme.expected_results,
            starts_on=pair.starts_on,
            ends_on=pair.ends_on,
            status=status,
            approved_on=approved_on,
            final_report=theme.final_report if completed else "",
        )
        program.full_clean()
        program.save()
        items = []
        past_due = sum(
            pair.starts_on + datetime.timedelta(days=item.day) < self.today
            for item in theme.items
        )
        # Now and then the latest step slips: the curator should see it.
        slipped = past_due if not completed and self.rng.random() < 0.4 else 0
        for position, item in enumerate(theme.items, start=1):
            due_on = pair.starts_on + datetime.timedelta(days=item.day)
            row = ProgramItem(
                program=program,
                position=position,
                direction=item.direction,
                content=item.content,
                due_on=due_on,
                form=item.form,
                expected_result=item.expected_result,
            )
            if position == slipped:
                row.status = ProgramItem.Status.POSTPONED
            elif completed or due_on < self.today:
                row.status = ProgramItem.Status.DONE
                row.done_on = min(due_on, self.today)
            row.full_clean()
            items.append(row)
        ProgramItem.objects.bulk_create(items)
        if completed:
            # Issue 14: the information base holds the finished program's result.
            record_program_results(
                program=program, by=self.curator, completed_on=pair.closed_on
            )

    # ------------------------------------------------------------ matching

    def collect_preferences(self) -> None:
        for choice in data.PREFERENCES:
            for rank, key in enumerate(choice.chosen, start=1):
                save_preference(
                    preference=Preference(
                        side=choice.side,
                        chooser=self.people[choice.chooser],
                        chosen=self.people[key],
                        rank=rank,
                    ),
                    by=self.curator,
                )

    def run_matching(self) -> None:
        """A run left on review: the curator decides on its suggestions."""
        run_matching(
            organization=self.organization,
            by=self.curator,
            forms=[self.forms[code] for code in data.MATCHING_FORMS],
            weights=Weights(),
        )

    def schedule_meetings(self, pair: Pair, theme: data.Theme) -> None:
        kind = Meeting.Kind
        slots = [
            (2, kind.ORGANIZATIONAL, theme.organizational),
            (9, kind.TRIAL, theme.trial),
            (16, kind.PLANNING, theme.planning),
        ]
        if pair.status == Pair.Status.TERMINATED:
            slots = slots[:2]
        elif pair.status != Pair.Status.APPROVED:
            short = pair.format == Pair.Format.SHORT_TERM
            step = 7 if short else 14
            if pair.status == Pair.Status.COMPLETED:
                last = (pair.closed_on - pair.starts_on).days - 1
            else:
                last = (self.day(PLANNED_AHEAD) - pair.starts_on).days
            offsets = range(16 + step, last, step)
            slots += [
                (offset, kind.REGULAR, topic)
                for offset, topic in zip(offsets, theme.regular, strict=False)
            ]
            if pair.status == Pair.Status.COMPLETED:
                slots.append((last, kind.FINAL, theme.final))
        students = pair.form.stream == MentoringForm.Stream.STUDENTS
        at = datetime.time(14, 50) if students else datetime.time(15, 30)
        meetings = []
        for offset, meeting_kind, (topic, outcome) in slots:
            day = pair.starts_on + datetime.timedelta(days=offset)
            # Nobody meets at the weekend: Saturday moves back, Sunday ahead.
            if day.weekday() == 5:
                day -= datetime.timedelta(days=1)
            elif day.weekday() == 6:
                day += datetime.timedelta(days=1)
            starts_at = timezone.make_aware(datetime.datetime.combine(day, at))
            held = starts_at < self.now
            meetings.append(
                Meeting(
                    pair=pair,
                    kind=meeting_kind,
                    starts_at=starts_at,
                    duration_minutes=40 if students else 45,
                    format=(
                        Meeting.Format.REMOTE
                        if pair.format == Pair.Format.VIRTUAL
                        else Meeting.Format.IN_PERSON
                    ),
                    topic=topic,
                    outcome=outcome if held else "",
                    status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                )
            )
        Meeting.objects.bulk_create(meetings)
