"""A mentor's portfolio of mentoring, printed for аттестация (stage 8)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from mentoring import documents
from mentoring.access import EVERYONE, deny_unless, role_required
from mentoring.models import Participation, Person, Role
from mentoring.pdf import pdf_response
from mentoring.selectors import has_valid_transfer_consent

# The mentor prints their own; the school's curator and head, and the
# district's methodologist, print it for the commission. The psychologist's
# work does not need it.
PRINTED_BY = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST, Role.PARTICIPANT)


def is_mentor(person: Person) -> bool:
    return (
        hasattr(person, "mentor_profile")
        or person.participations.filter(role=Participation.Role.MENTOR).exists()
    )


@role_required(*PRINTED_BY, seen_by=EVERYONE)
def mentor_portfolio(request, pk):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"),
        pk=pk,
    )
    user = request.user
    # A participant sees the people of their pairs, not their portfolios.
    if user.role == Role.PARTICIPANT and not user.is_superuser:
        deny_unless(person.user_id == user.pk)
    if not is_mentor(person):
        raise Http404
    # The district is a third party to the school (156-ФЗ): the portfolio
    # goes there only on the mentor's consent to transfer, as the people list.
    if user.role == Role.METHODOLOGIST and not user.is_superuser:
        allowed = Person.objects.filter(pk=person.pk).filter(
            has_valid_transfer_consent()
        )
        if not allowed.exists():
            messages.error(
                request,
                _(
                    "Портфолио наставника %(name)s передаётся в район только с "
                    "согласия на передачу персональных данных третьим лицам, а "
                    "такого согласия нет. Его оформляет школа."
                )
                % {"name": person.full_name},
            )
            return redirect("mentoring:home")
    return pdf_response(
        documents.portfolio_pdf(person=person),
        documents.portfolio_filename(person),
        inline=request.GET.get("download") != "1",
    )
