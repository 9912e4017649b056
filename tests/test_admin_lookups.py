"""Every lookup of the back office is closed to another school's rows.

The walk takes its fields and filters from the registered admins, not from a
list written here: a relational field or filter added tomorrow is walked too,
and a related model with no record in the foreign world fails the walk until
`_seed_world` makes one.
"""

import datetime
import uuid

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    AuditEntry,
    District,
    Invitation,
    MentoringForm,
    Order,
    OrderReward,
    Organization,
    Person,
    Preference,
    User,
)
from mentoring.services import record_change
from roadmap.models import Activity, Evidence, ReminderLog, Roadmap, Stage
from surveys.models import Questionnaire
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    MeetingFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    MentorTrainingFactory,
    OrderAcquaintanceFactory,
    OrderFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    ProgramFactory,
    ProgramItemFactory,
    QuestionnaireFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
    fill_questionnaire,
    form,
)
from tests.mentoring.admin_helpers import admin_form_data

# Every name in the foreign world starts so; no page may show it.
FOREIGN = "Чуж"
APPS = ("mentoring", "roadmap", "surveys", "auth")
# The catalogue every school shares: offered to all alike.
SHARED = {MentoringForm}


def _seed_world(org: Organization) -> None:
    """One record of every kind an admin form or filter can point to."""
    teacher = PersonFactory(organization=org, consented=True)
    child = PersonFactory(organization=org, student=True, consented=True)
    PersonFactory(organization=org, employer=True, cleared=True)
    login = UserFactory(organization=org)
    Person.objects.filter(pk=teacher.pk).update(user=login)
    Invitation.objects.create(
        user=login,
        token_hash=uuid.uuid4().hex,
        channel=Invitation.Channel.SLIP,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    mentor = MentorProfileFactory(
        person__organization=org, forms=[form("teacher-teacher")]
    )
    mentee = MenteeProfileFactory(person__organization=org)
    MentorTrainingFactory(mentor=mentor)
    Preference.objects.create(
        side=Preference.Side.MENTEE,
        chooser=mentee.person,
        chosen=mentor.person,
        rank=1,
    )
    order = OrderFactory(organization=org)
    OrderAcquaintanceFactory(order=order, person=child)
    OrderReward.objects.create(
        order=OrderFactory(organization=org),
        person=teacher,
        kind=OrderReward.Kind.THANKS,
    )
    pair = PairFactory(organization=org, active=True, order=order)
    program = ProgramFactory(pair=pair)
    ProgramItemFactory(program=program)
    meeting = MeetingFactory(pair=pair)
    curator = UserFactory(curator=True, organization=org)
    record_change(actor=curator, obj=pair, action="pair.test", message="—")
    for roadmap in (
        RoadmapFactory(organization=org),
        RoadmapFactory(of_district=True, district=org.district),
    ):
        activity = ActivityFactory(
            stage=StageFactory(roadmap=roadmap), responsible=[teacher]
        )
        Evidence.objects.create(activity=activity, title="Протокол")
        ReminderLog.objects.create(activity=activity, person=teacher, threshold=0)
    QuestionnaireFactory(organization=org)
    mentee_of_pair = pair.participations.get(role="mentee").person
    fill_questionnaire(
        "meeting-feedback-mentee", respondent=mentee_of_pair, meeting=meeting
    )


def _name_foreign_world(org: Organization) -> None:
    Person.objects.filter(organization=org).update(last_name=f"{FOREIGN}акова")
    User.objects.filter(organization=org).update(last_name=f"{FOREIGN}аков")
    Organization.objects.filter(pk=org.pk).update(
        short_name=f"{FOREIGN}ая школа", full_name=f"{FOREIGN}ая школа полностью"
    )
    District.objects.filter(pk=org.district_id).update(name=f"{FOREIGN}ой район")
    Questionnaire.objects.filter(organization=org).update(title=f"{FOREIGN}ая анкета")
    mine = Roadmap.objects.filter(organization=org) | Roadmap.objects.filter(
        district=org.district
    )
    mine.update(title=f"{FOREIGN}ая дорожная карта")
    Stage.objects.filter(roadmap__in=mine).update(name=f"{FOREIGN}ой этап")
    Activity.objects.filter(stage__roadmap__in=mine).update(
        content=f"{FOREIGN}ое мероприятие"
    )
    Order.objects.filter(organization=org).update(title=f"{FOREIGN}ой приказ")


def _rows() -> dict:
    return {
        model: set(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


@pytest.fixture
def worlds(db):
    """Organization A in district A; B in district B with its records."""
    org_a = OrganizationFactory(district=DistrictFactory())
    _seed_world(org_a)
    before = _rows()
    org_b = OrganizationFactory(district=DistrictFactory())
    _seed_world(org_b)
    _name_foreign_world(org_b)
    after = _rows()
    foreign = {model: after[model] - before.get(model, set()) for model in after}
    return org_a, {model: pks for model, pks in foreign.items() if pks}


@pytest.fixture(params=["curator", "methodologist"])
def user_a(request, worlds):
    org_a, _ = worlds
    if request.param == "curator":
        return UserFactory(curator=True, organization=org_a)
    return UserFactory(methodologist=True, district=org_a.district)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _own_object(model_admin, request, foreign):
    """A record the user may change, not one of the foreign world."""
    rows = model_admin.get_queryset(request).exclude(
        pk__in=foreign.get(model_admin.model, ())
    )
    for obj in rows.order_by("pk")[:20]:
        if model_admin.has_change_permission(request, obj):
            return obj
    return None


def _lookup_fields(user, foreign):
    """(admin, object or None, inline or None, field name, form field) of every
    relational field a page shows the user as an input."""
    request = _request(user)
    for model_admin in admin.site._registry.values():
        pages = []
        if model_admin.has_add_permission(request):
            pages.append(None)
        obj = _own_object(model_admin, request, foreign)
        if obj is not None:
            pages.append(obj)
        for obj in pages:
            form = model_admin.get_form(request, obj, change=obj is not None)
            for name, field in form.base_fields.items():
                if isinstance(field, ModelChoiceField):
                    yield model_admin, obj, None, name, field
            for formset, inline in model_admin.get_formsets_with_inlines(request, obj):
                if not (
                    inline.has_add_permission(request, obj)
                    or inline.has_change_permission(request, obj)
                ):
                    continue  # shown read-only: what is posted is ignored
                for name, field in formset.form.base_fields.items():
                    if isinstance(field, ModelChoiceField) and name != "id":
                        if name == formset.fk.name:
                            continue  # the page's own record, not a choice
                        yield model_admin, obj, inline, name, field


def _foreign_rows_of(model, foreign):
    pks = foreign.get(model, set())
    assert pks or model in SHARED, (
        f"_seed_world makes no {model._meta.label} in the foreign world: "
        "the walk could not tell whether its choices are closed"
    )
    return pks


@pytest.mark.django_db
def test_no_field_offers_another_schools_rows(worlds, user_a):
    _, foreign = worlds
    walked = []
    for model_admin, _obj, inline, name, field in _lookup_fields(user_a, foreign):
        model = field.queryset.model
        offered = set(field.queryset.values_list("pk", flat=True))
        where = f"{model_admin} {inline or ''} {name}"
        assert not offered & _foreign_rows_of(model, foreign), where
        walked.append(where)
    assert walked, "the walk found no relational field"


def _snapshot():
    return {
        model: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
        and model not in (AuditEntry,)
        and model is not User
    }


def _page_url(model_admin, obj):
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    if obj is None:
        return reverse("admin:{}_{}_add".format(*info))
    return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


def _formset_of(response, inline):
    for inline_admin_formset in response.context["inline_admin_formsets"]:
        if inline_admin_formset.opts.__class__ is inline.__class__:
            return inline_admin_formset.formset
    raise AssertionError(f"{inline} is not on the page")


@pytest.mark.django_db
def test_no_field_accepts_another_schools_row(client, worlds, user_a):
    _, foreign = worlds
    client.force_login(user_a)
    fields = list(_lookup_fields(user_a, foreign))
    assert fields
    for model_admin, obj, inline, name, field in fields:
        foreign_pk = min(_foreign_rows_of(field.queryset.model, foreign) or {0})
        if not foreign_pk:
            continue  # a shared catalogue: nothing foreign to post
        url = _page_url(model_admin, obj)
        page = client.get(url)
        value = (
            [str(foreign_pk)]
            if isinstance(field, ModelMultipleChoiceField)
            else str(foreign_pk)
        )
        data = admin_form_data(page)
        if inline is None:
            key = name
        else:
            formset = _formset_of(page, inline)
            # A row of its own if the user may change rows, else a new one.
            row = 0
            if not (
                formset.initial_forms
                and inline.has_change_permission(_request(user_a), obj)
            ):
                row = len(formset.initial_forms)
            key = f"{formset.prefix}-{row}-{name}"
            total = f"{formset.prefix}-TOTAL_FORMS"
            data[total] = str(max(int(data[total]), row + 1))
        data[key] = value
        before = _snapshot()

        response = client.post(url, data)

        where = f"{model_admin} {inline or ''} {name}"
        assert response.status_code == 200, where
        if inline is None:
            errors = response.context["adminform"].form.errors
        else:
            errors = _formset_of(response, inline).forms[row].errors
        assert name in errors, where
        assert FOREIGN not in response.text, where
        assert _snapshot() == before, where


@pytest.mark.django_db
def test_no_list_filter_shows_another_schools_rows(client, worlds, user_a):
    _, foreign = worlds
    client.force_login(user_a)
    request = _request(user_a)
    related_filters = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, model
        assert FOREIGN not in response.text, model
        for spec in response.context["cl"].filter_specs:
            if isinstance(spec, RelatedFieldListFilter):
                related_filters += 1
                shown = {pk for pk, _ in spec.lookup_choices}
                related = spec.field.related_model
                assert not shown & _foreign_rows_of(related, foreign), (
                    model,
                    spec.field_path,
                )
    assert related_filters, "the walk found no filter by a related row"


def _autocomplete_fields(user):
    request = _request(user)
    for model_admin in admin.site._registry.values():
        yield model_admin.model, model_admin.get_autocomplete_fields(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline.get_autocomplete_fields(request)


@pytest.mark.django_db
def test_no_autocomplete_answers_with_another_schools_rows(client, worlds, user_a):
    _, foreign = worlds
    client.force_login(user_a)
    asked = 0
    for model, names in _autocomplete_fields(user_a):
        for name in names:
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": name,
                    "term": "",
                },
            )
            if response.status_code == 403:
                continue  # the user may not read that list at all
            asked += 1
            assert response.status_code == 200, (model, name)
            related = model._meta.get_field(name).related_model
            shown = {int(row["id"]) for row in response.json()["results"]}
            assert not shown & _foreign_rows_of(related, foreign), (model, name)
            assert FOREIGN not in response.text, (model, name)
    assert asked, "the walk found no autocomplete field"


@pytest.mark.django_db
def test_every_admin_and_inline_scopes_its_lookups():
    from mentoring.admin.base import ScopedInlineMixin, ScopedLookupsMixin

    request = _request(UserFactory(is_superuser=True, is_staff=True))
    ours = ("mentoring", "roadmap", "surveys")
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ours:
            continue
        assert isinstance(model_admin, ScopedLookupsMixin), model
        for inline in model_admin.get_inline_instances(request):
            assert isinstance(inline, ScopedInlineMixin), inline
