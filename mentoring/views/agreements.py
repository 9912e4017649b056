"""The mentor's agreement under ТК РФ ст. 351.8: the curator fills its terms,
prints it for both sides, and keeps the signed scan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import documents
from mentoring.access import ACTING, STAFF, role_required
from mentoring.forms import MentorAgreementForm
from mentoring.models import (
    Consent,
    MentorAgreement,
    Pair,
    Participation,
    Person,
)
from mentoring.pdf import pdf_response
from mentoring.services import agreements as agreement_services

LIST_SIZE = 200


def _pairs(user):
    return Pair.objects.visible_to(user).select_related("form", "order")


def _pair_and_mentor(request, pk, mentor_pk) -> tuple[Pair, Person]:
    pair = get_object_or_404(_pairs(request.user).select_related("organization"), pk=pk)
    mentor = get_object_or_404(
        Person.objects.filter(
            participations__pair=pair,
            participations__role=Participation.Role.MENTOR,
        ),
        pk=mentor_pk,
    )
    # Not under the Labour Code: there is no agreement to show.
    if not agreement_services.is_employee(mentor):
        raise Http404
    return pair, mentor


# The school's curator and head conclude it; the other staff know it exists.
@role_required(*ACTING, seen_by=STAFF)
def agreements(request):
    """The pairs whose mentors are the school's employees, with their agreements."""
    pairs = (
        _pairs(request.user)
        .filter(status__in=Pair.OPEN_STATUSES)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("person"),
            ),
            "agreements",
        )
        .order_by("-pk")[:LIST_SIZE]
    )
    rows = []
    for pair in pairs:
        signed = {a.mentor_id: a for a in pair.agreements.all()}
        mentees = [
            p.person
            for p in pair.participations.all()
            if p.role == Participation.Role.MENTEE
        ]
        for mentor in agreement_services.employee_mentors(pair):
            rows.append(
                {
                    "pair": pair,
                    "mentor": mentor,
                    "mentees": mentees,
                    "agreement": signed.get(mentor.pk),
                }
            )
    return render(request, "mentoring/agreements.html", {"rows": rows})


@role_required(*ACTING, seen_by=STAFF)
def agreement(request, pk, mentor_pk):
    """Fill the agreement's terms (prefilled from the pair), print, keep the scan."""
    pair, mentor = _pair_and_mentor(request, pk, mentor_pk)
    stored = MentorAgreement.objects.filter(pair=pair, mentor=mentor).first()
    instance = stored or agreement_services.prefilled_agreement(
        pair=pair, mentor=mentor
    )
    if request.method == "POST":
        form = MentorAgreementForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            terms = {
                name: form.cleaned_data[name] for name in agreement_services.TERM_FIELDS
            }
            try:
                agreement_services.save_mentor_agreement(
                    pair=pair,
                    mentor=mentor,
                    by=request.user,
                    terms=terms,
                    scan=request.FILES.get("scan"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Соглашение сохранено."))
                return redirect("mentoring:agreement", pk=pair.pk, mentor_pk=mentor.pk)
    else:
        form = MentorAgreementForm(instance=instance)
    consent = (
        Consent.objects.valid_on(timezone.localdate())
        .filter(person=mentor, kind=Consent.Kind.MENTOR_DUTIES)
        .order_by("-given_on")
        .first()
    )
    return render(
        request,
        "mentoring/agreement.html",
        {
            "form": form,
            "pair": pair,
            "mentor": mentor,
            "agreement": stored,
            "consent": consent,
        },
    )


@role_required(*ACTING, seen_by=STAFF)
def agreement_pdf(request, pk, mentor_pk):
    """The agreement to sign, as its terms were saved."""
    pair, mentor = _pair_and_mentor(request, pk, mentor_pk)
    stored = (
        MentorAgreement.objects.filter(pair=pair, mentor=mentor)
        .select_related("pair__organization", "pair__form", "pair__order", "mentor")
        .first()
    )
    if stored is None:
        messages.error(request, _("Сначала заполните и сохраните условия соглашения."))
        return redirect("mentoring:agreement", pk=pair.pk, mentor_pk=mentor.pk)
    return pdf_response(
        documents.agreement_pdf(agreement=stored),
        documents.agreement_filename(stored),
        inline=request.GET.get("download") != "1",
    )
