"""Programs and their plans: saved by the program services, moved by actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Program, ProgramItem
from tests.factories import (
    PairFactory,
    ProgramFactory,
    ProgramItemFactory,
    UserFactory,
)
from tests.mentoring.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


def _today():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate()


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _day(day):
    return day.strftime("%d.%m.%Y")


def _change(client, program, **changes):
    url = reverse("admin:mentoring_program_change", args=[program.pk])
    return client.post(url, admin_form_data(client.get(url), **changes))


def _action(client, program, name):
    return client.post(
        reverse("admin:mentoring_program_changelist"),
        {"action": name, "_selected_action": [program.pk]},
        follow=True,
    )


def _audit(action):
    return AuditEntry.objects.filter(action=action)


def _add_data(pair, **extra):
    return {
        "pair": pair.pk,
        "starts_on": _day(_today()),
        "ends_on": _day(_today() + datetime.timedelta(days=200)),
        "goal": "Адаптация в профессии",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-position": "1",
        "items-0-content": "Посещение уроков наставника",
        "items-0-due_on": _day(_today() + datetime.timedelta(days=30)),
        **extra,
    }


def test_a_new_program_is_a_draft_whatever_is_posted(client, curator):
    pair = PairFactory(organization=curator.organization)

    response = client.post(
        reverse("admin:mentoring_program_add"),
        _add_data(
            pair,
            status=Program.Status.DONE,
            approved_on=_day(_today()),
            final_report="Всё выполнено",
            **{"items-0-status": "done", "items-0-done_on": _day(_today())},
        ),
    )

    assert response.status_code == 302
    program = Program.objects.get()
    assert (program.status, program.approved_on, program.final_report) == (
        Program.Status.DRAFT,
        None,
        "",
    )
    assert program.items.get().status == ProgramItem.Status.PLANNED
    assert _audit("program.created").get().actor == curator
    assert _audit("program.items_changed").exists()


def test_a_program_is_not_drafted_for_a_closed_pair(client, curator):
    pair = PairFactory(organization=curator.organization, completed=True)

    response = client.post(reverse("admin:mentoring_program_add"), _add_data(pair))

    assert response.status_code == 200
    assert "Программу составляют для формируемой или действующей пары." in (
        response.text
    )
    assert not Program.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="program.").exists()


def test_an_item_outside_the_programs_dates_is_refused(client, curator):
    pair = PairFactory(organization=curator.organization)
    late = _today() + datetime.timedelta(days=400)

    response = client.post(
        reverse("admin:mentoring_program_add"),
        _add_data(pair, **{"items-0-due_on": _day(late)}),
    )

    assert response.status_code == 200
    assert "вне сроков программы" in response.text
    assert not Program.objects.exists()


def test_an_approved_plan_and_forged_status_stay_as_they_are(client, curator):
    program = ProgramFactory(
        pair__organization=curator.organization, approved_on=_today()
    )
    item = ProgramItemFactory(program=program)

    response = _change(
        client,
        program,
        goal="Другая цель",
        status=Program.Status.DONE,
        approved_on=_day(_today() - datetime.timedelta(days=9)),
        **{"items-0-content": "Другое", "items-0-status": "done"},
    )

    assert response.status_code == 302
    program.refresh_from_db()
    item.refresh_from_db()
    assert program.goal == "Адаптация молодого специалиста в коллективе и профессии"
    assert (program.status, program.approved_on) == (Program.Status.APPROVED, _today())
    assert (item.content, item.status) == (
        "Совместная разработка технологической карты урока",
        ProgramItem.Status.PLANNED,
    )
    assert not AuditEntry.objects.filter(action__startswith="program.").exists()


def test_marks_are_written_while_the_program_is_carried_out(client, curator):
    program = ProgramFactory(
        pair__organization=curator.organization, status=Program.Status.IN_PROGRESS
    )
    item = ProgramItemFactory(program=program)
    tomorrow = _today() + datetime.timedelta(days=1)

    refused = _change(
        client,
        program,
        **{"items-0-status": "done", "items-0-done_on": _day(tomorrow)},
    )
    assert refused.status_code == 200
    assert "ещё не наступила" in refused.text
    item.refresh_from_db()
    assert item.status == ProgramItem.Status.PLANNED

    done = _change(
        client, program, **{"items-0-status": "done", "items-0-done_on": _day(_today())}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.done_on) == (ProgramItem.Status.DONE, _today())
    assert _audit("program.items_changed").get().data["marked"] == [item.pk]


def test_the_final_report_is_written_only_while_carried_out(client, curator):
    program = ProgramFactory(pair__organization=curator.organization)

    _change(client, program, final_report="Итоги заранее")  # the field is read-only

    program.refresh_from_db()
    assert program.final_report == ""


def test_status_moves_only_by_actions_along_the_route(client, curator):
    pair = PairFactory(organization=curator.organization, approved=True)
    program = ProgramFactory(pair=pair, status=Program.Status.DRAFT)

    empty = _action(client, program, "program_to_on_approval")
    assert "нет ни одного мероприятия" in empty.text
    ProgramItemFactory(program=program)
    jump = _action(client, program, "program_to_done")
    assert "нельзя перевести в «Выполнена»" in jump.text
    _action(client, program, "program_to_on_approval")
    approved = _action(client, program, "program_to_approved")
    assert "Статус «Утверждена» установлен: 1." in approved.text
    early = _action(client, program, "program_to_in_progress")
    assert "когда пара приступила к работе" in early.text

    program.refresh_from_db()
    assert (program.status, program.approved_on) == (Program.Status.APPROVED, _today())
    assert list(
        _audit("program.status_changed")
        .order_by("pk")
        .values_list("data__status", flat=True)
    ) == ["on_approval", "approved"]


def test_a_program_is_not_closed_without_its_final_report(client, curator):
    program = ProgramFactory(
        pair__organization=curator.organization, status=Program.Status.IN_PROGRESS
    )

    refused = _action(client, program, "program_to_done")
    assert "Заполните итоги (самоанализ)" in refused.text
    _change(client, program, final_report="Цели достигнуты")
    closed = _action(client, program, "program_to_done")

    assert "Статус «Выполнена» установлен: 1." in closed.text
    program.refresh_from_db()
    assert (program.status, program.final_report) == (
        Program.Status.DONE,
        "Цели достигнуты",
    )
    assert _audit("program.changed").get().data == {"fields": ["final_report"]}
