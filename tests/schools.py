"""A school with one of every record and a user of every role, for the access
tests (`tests/test_access.py`, `tests/test_permission_matrix.py`).

`build_school()` makes the school the users work in; `build_school(users=False)`
another one with the same records, whose ids a role of the first must not
reach.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from district.models import Pilot
from mentoring.models import (
    AuditEntry,
    DestructionAct,
    DocumentBatch,
    DocumentRequirement,
    Invitation,
    MatchingRun,
    MenteeProfile,
    MentorAgreement,
    MentorProfile,
    Order,
    Participation,
    Preference,
    Suggestion,
)
from mentoring.services.orders.storage import store_order_pdf
from public.models import Post, PublicDocument
from reports.models import ReportSubmission
from roadmap.models import Evidence, ReminderLog
from tests.factories import (
    ActivityFactory,
    ConsentFactory,
    DistrictFactory,
    EventFactory,
    MeetingFactory,
    OrderFactory,
    OrganizationFactory,
    PersonDocumentFactory,
    PersonFactory,
    ProgramFactory,
    QuestionnaireFactory,
    RegionFactory,
    RegistrationFactory,
    ReviewFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
    fill_questionnaire,
    questionnaire,
)

ROLES = (
    "anonymous",
    "outsider",  # a participant of the school, in no pair
    "mentee",
    "mentor",
    "curator",
    "director",
    "psychologist",
    "methodologist",
    "superuser",
    # Issue 14, regions: the regional mentoring centre, aggregates only.
    "regional",
)

SCAN = b"%PDF-1.4\n% scanned\n"


@dataclass
class School:
    organization: object
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    # Paths under MEDIA_ROOT, as /files/<path> serves them.
    files: dict = field(default_factory=dict)


def build_school(organization=None, *, users: bool = True) -> School:
    """One pair (mentor and mentee) with its program, meetings, consents,
    documents, orders (one on signature, one signed), a matching run, a
    roadmap, a questionnaire with an answer, and the admin's reference rows;
    with `users`, a login of every role.

    The signed order's PDF is rendered on its first request (or by
    `store_signed_pdf`), as after a real signing."""
    organization = organization or OrganizationFactory(district=DistrictFactory())
    # Issue 14, regions: every school's district lies in a region.
    district = organization.district
    if district.region_id is None:
        district.region = RegionFactory()
        district.save(update_fields=["region"])
    program = ProgramFactory(pair__organization=organization)
    pair = program.pair
    people = {p.role: p.person for p in pair.participations.all()}
    mentor, mentee = (
        people[Participation.Role.MENTOR],
        people[Participation.Role.MENTEE],
    )
    school = School(organization=organization)
    if users:
        school.users = _users(organization, mentor=mentor, mentee=mentee)
    director = school.users.get("director")

    signed = OrderFactory(
        organization=organization,
        status=Order.Status.SIGNED,
        year=timezone.localdate().year,
        number=1,
        signed_on=timezone.localdate(),
        decided_by=director,
        decided_at=timezone.now(),
        signature_code=signature_code(organization),
        signer_position=organization.head_position,
        signer_name=organization.head_name,
    )
    pair.order = signed
    pair.save(update_fields=["order"])

    consent = ConsentFactory(person=mentee, scan=ContentFile(SCAN, "scan.pdf"))
    document = PersonDocumentFactory(person=mentor, scan=ContentFile(SCAN, "scan.pdf"))
    run = MatchingRun.objects.create(organization=organization)
    suggestion = Suggestion.objects.create(
        run=run,
        mentor=mentor,
        mentee=mentee,
        form=pair.form,
        score=1,
        explanation="совпадают запросы",
    )
    activity = ActivityFactory(
        stage=StageFactory(roadmap=RoadmapFactory(organization=organization))
    )
    Evidence.objects.create(activity=activity, title="Приказ", url="/orders/1/pdf/")
    reminder = ReminderLog.objects.create(
        activity=activity, person=mentor, threshold=14
    )
    own_questionnaire = QuestionnaireFactory(organization=organization)
    response = fill_questionnaire("mentee-request", respondent=mentee)
    invited = UserFactory(organization=organization)
    invitation = Invitation.objects.create(
        user=invited,
        token_hash=f"{organization.pk:064d}",
        channel=Invitation.Channel.EMAIL,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    audit = AuditEntry.objects.create(
        organization=organization,
        action="pair.created",
        content_type=ContentType.objects.get_for_model(pair),
        object_id=pair.pk,
        object_repr=str(pair),
        message="Создана пара",
    )
    preference = Preference.objects.create(
        side=Preference.Side.MENTEE, chooser=mentee, chosen=mentor, rank=1
    )
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"order_id": signed.pk}},
        task_path="mentoring.services.orders.storage.store_signed_order_pdf",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    MentorAgreement.objects.create(
        pair=pair,
        mentor=mentor,
        content="Планирование уроков с наставляемым",
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
        pay=MentorAgreement.Pay.PERCENT,
        pay_value=10,
    )
    event_registration = RegistrationFactory(
        event=EventFactory(
            district=organization.district,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        ),
        mentor=MentorProfile.objects.get(person=mentor),
    )
    # Issue 14 (public): a published news item and the signed order on the
    # public page; the matrix also asks for the unpublished ones (404).
    public_post = Post.objects.create(
        organization=organization,
        title="Новость",
        body="Текст",
        status=Post.Status.PUBLISHED,
        published_on=timezone.localdate(),
    )
    public_document = PublicDocument.objects.create(
        organization=organization,
        kind=PublicDocument.Kind.ORDER,
        order=signed,
        is_published=True,
        published_on=timezone.localdate(),
    )
    school.ids = {
        # Issue 14 (public): the public pages' records.
        "public_post": public_post.pk,
        "public_document": public_document.pk,
        "public.post": public_post.pk,
        "public.publicdocument": public_document.pk,
        # The site's pages.
        "pair": pair.pk,
        "mentor": mentor.pk,
        "meeting": MeetingFactory(pair=pair).pk,
        "order": OrderFactory(organization=organization, on_signature=True).pk,
        "signed_order": signed.pk,
        "program": program.pk,
        "person": mentee.pk,
        "run": run.pk,
        "suggestion": suggestion.pk,
        "roadmap": activity.stage.roadmap_id,
        "activity": activity.pk,
        "questionnaire": questionnaire("mentee-request").pk,
        # District events (issue 14): one held today, the mentor registered.
        "event": event_registration.event_id,
        "registration": event_registration.pk,
        # The admin's records, by model label.
        "auth.group": Group.objects.create(name=f"Группа {organization.pk}").pk,
        "django_tasks_database.dbtaskresult": task.pk,
        "mentoring.persondocument": document.pk,
        "mentoring.documentrequirement": DocumentRequirement.objects.first().pk,
        "mentoring.invitation": invitation.pk,
        "mentoring.preference": preference.pk,
        "mentoring.order": signed.pk,
        "mentoring.pair": pair.pk,
        "mentoring.program": program.pk,
        "mentoring.meeting": MeetingFactory(pair=pair).pk,
        "mentoring.person": mentee.pk,
        "mentoring.consent": consent.pk,
        "mentoring.mentorprofile": MentorProfile.objects.get(person=mentor).pk,
        "mentoring.menteeprofile": MenteeProfile.objects.get(person=mentee).pk,
        "mentoring.district": organization.district_id,
        "mentoring.region": organization.district.region_id,
        "mentoring.organization": organization.pk,
        "mentoring.mentoringform": pair.form_id,
        "mentoring.user": invited.pk,
        "mentoring.auditentry": audit.pk,
        "roadmap.roadmap": activity.stage.roadmap_id,
        "roadmap.stage": activity.stage_id,
        "roadmap.activity": activity.pk,
        "roadmap.reminderlog": reminder.pk,
        "surveys.questionnaire": own_questionnaire.pk,
        "surveys.response": response.pk,
        # Issue 15: a printed batch of the school's programs, its ZIP stored.
        "document_batch": printed_batch(organization).pk,
        "destruction_act": DestructionAct.objects.create(
            organization=organization, number=1
        ).pk,
        # Issue 14, review: a program the school sent, awaiting the district.
        "review": ReviewFactory(organization=organization).pk,
        # Issue 14 (report): a report the school sent to the municipality.
        "report_submission": ReportSubmission.objects.create(
            organization=organization,
            period_start=datetime.date(2025, 9, 1),
            period_end=datetime.date(2026, 8, 31),
            figures={},
            sent_at=timezone.now(),
        ).pk,
        # The login log (django-axes): a failed attempt, a session, a failure.
        **login_log(invited.username),
        # Issue 14, district: the school is its district's pilot.
        "district.pilot": Pilot.objects.create(
            organization=organization, since=datetime.date(2025, 9, 1)
        ).pk,
    }
    school.files = {
        "consent scan": consent.scan.name,
        "document scan": document.scan.name,
        "document batch": DocumentBatch.objects.get(
            pk=school.ids["document_batch"]
        ).zip.name,
    }
    return school


def printed_batch(organization) -> DocumentBatch:
    """A finished batch of documents with its ZIP (an empty archive)."""
    batch = DocumentBatch.objects.create(
        organization=organization,
        kind=DocumentBatch.Kind.PROGRAMS,
        status=DocumentBatch.Status.DONE,
        total=0,
        finished_at=timezone.now(),
    )
    batch.zip.save("batch.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return batch


def signature_code(organization) -> str:
    """The signed order's document code (its verification page's address)."""
    return f"CODE{organization.pk:016d}"


def store_signed_pdf(school: School) -> None:
    """Render and store the signed order's PDF once, as the signing's task does."""
    order = store_order_pdf(order_id=school.ids["signed_order"])
    school.files["signed order"] = order.pdf.name


def _users(organization, *, mentor, mentee) -> dict:
    users = {"anonymous": None}
    outsider = PersonFactory(organization=organization)
    for role, person in (
        ("outsider", outsider),
        ("mentor", mentor),
        ("mentee", mentee),
    ):
        person.user = users[role] = UserFactory(organization=organization)
        person.save(update_fields=["user"])
    for role in ("curator", "director", "psychologist"):
        users[role] = UserFactory(**{role: True}, organization=organization)
    users["methodologist"] = UserFactory(
        methodologist=True, district=organization.district
    )
    users["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    users["regional"] = UserFactory(regional=True, region=organization.district.region)
    return users


def login_log(username: str) -> dict[str, int]:
    """One record of each of the login log's tables, as django-axes keeps them."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {"username": username, "ip_address": "10.0.0.1", "user_agent": "test"}
    return {
        "axes.accessattempt": AccessAttempt.objects.create(
            **seen, failures_since_start=1
        ).pk,
        "axes.accesslog": AccessLog.objects.create(**seen).pk,
        "axes.accessfailurelog": AccessFailureLog.objects.create(**seen).pk,
    }
