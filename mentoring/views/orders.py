"""The director's orders page, and the PDFs of orders, programs and consents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from mentoring import documents
from mentoring.access import EVERYONE, PERSONAL_RECORDS, STAFF, role_required
from mentoring.forms import PaperSignedOrderForm, ReturnOrderForm
from mentoring.models import Consent, Order, Person, Program, ProgramResult, Role
from mentoring.pdf import pdf_response
from mentoring.selectors.orders import (
    orders_awaiting_signature,
    orders_decided,
    pairs_with_documents,
    with_listed_titles,
)
from mentoring.services import orders as order_services
from mentoring.views.portfolio import is_mentor

HISTORY_SIZE = 50


# The director decides; the staff who prepare and follow orders know of it.
@role_required(Role.DIRECTOR, seen_by=STAFF)
def orders(request):
    """The director's inbox: orders awaiting signature, then the decided ones."""
    return render(
        request,
        "mentoring/orders.html",
        {
            "awaiting": with_listed_titles(
                orders_awaiting_signature(user=request.user)
            ),
            "decided": with_listed_titles(
                orders_decided(user=request.user)[:HISTORY_SIZE]
            ),
            "return_form": ReturnOrderForm(),
            "paper_form": PaperSignedOrderForm(),
            "organization": request.user.organization,
        },
    )


@role_required(Role.DIRECTOR, seen_by=STAFF)
@require_POST
def order_sign(request, pk):
    order = get_object_or_404(Order.objects.visible_to(request.user), pk=pk)
    try:
        order = order_services.sign_order(order=order, director=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Приказ подписан: № %(number)s от %(day)s.")
            % {
                "number": order.full_number,
                "day": date_format(order.signed_on, "SHORT_DATE_FORMAT"),
            },
        )
    return redirect("mentoring:orders")


@role_required(Role.DIRECTOR, seen_by=STAFF)
@require_POST
def order_signed_on_paper(request, pk):
    """A director who signed on paper enters the number the journal gave."""
    order = get_object_or_404(Order.objects.visible_to(request.user), pk=pk)
    form = PaperSignedOrderForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("mentoring:orders")
    try:
        order = order_services.register_paper_order(
            order=order,
            by=request.user,
            number=form.cleaned_data["number"],
            signed_on=form.cleaned_data["signed_on"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Приказ внесён в журнал: № %(number)s от %(day)s.")
            % {
                "number": order.full_number,
                "day": date_format(order.signed_on, "SHORT_DATE_FORMAT"),
            },
        )
    return redirect("mentoring:orders")


@role_required(Role.DIRECTOR, seen_by=STAFF)
@require_POST
def order_return(request, pk):
    order = get_object_or_404(Order.objects.visible_to(request.user), pk=pk)
    form = ReturnOrderForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("mentoring:orders")
    try:
        order_services.return_order(
            order=order, director=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Приказ возвращён на доработку."))
    return redirect("mentoring:orders")


# The whole order names every pair's people, children among them: staff only.
# A participant gets their extract (`order_extract`) and a 404 here, the same
# answer for their own order and any other.
@role_required(*STAFF)
@xframe_options_sameorigin  # the director's page shows it in a frame
def order_pdf(request, pk):
    """The signed order as stored at signing; a draft as it reads now."""
    order = get_object_or_404(
        Order.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if order.status == Order.Status.SIGNED:
        try:
            content = order_services.stored_order_pdf(order=order)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("mentoring:home")
    else:
        # A draft prints from the cards as they are now (a corrected name).
        order = order_services.refresh_order_text(order=order)
        content = documents.order_pdf(order=order)
    return pdf_response(
        content,
        documents.order_filename(order),
        inline=request.GET.get("download") != "1",
    )


# Staff see the order whole; the extract is the participant's own document.
@role_required(Role.PARTICIPANT, seen_by=STAFF)
def order_extract(request, pk):
    """The participant's extract from a signed order that assigns their pair."""
    order = get_object_or_404(Order.objects.visible_to(request.user), pk=pk)
    try:
        content = order_services.issue_order_extract(order=order, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mentoring:my-documents")
    return pdf_response(
        content,
        documents.order_extract_filename(order, request.user.person),
        inline=request.GET.get("download") != "1",
    )


@role_required(*EVERYONE)
def program_pdf(request, pk):
    program = get_object_or_404(
        Program.objects.visible_to(request.user).select_related(
            "pair__form", "pair__organization", "pair__order"
        ),
        pk=pk,
    )
    return pdf_response(
        documents.program_pdf(program=program),
        documents.program_filename(program),
        inline=request.GET.get("download") != "1",
    )


# A participant signs the form they know of; the staff print it for them.
@role_required(*PERSONAL_RECORDS, seen_by=EVERYONE)
def consent_form_pdf(request, pk, purpose=Consent.Purpose.PROCESSING):
    """A consent form a participant signs, prefilled (those who keep consents):
    to processing, or (156-ФЗ, a separate document) to transfer to third parties."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    return pdf_response(
        documents.consent_pdf(people=[person], purpose=purpose),
        documents.consent_filename(person, purpose),
        inline=request.GET.get("download") != "1",
    )


@role_required(*EVERYONE)
def my_documents(request):
    """A participant's pairs with their program and the extract from their
    signed order, as PDFs (staff: the whole order)."""
    # A participant downloads their extract, staff the whole order.
    order_view = (
        "mentoring:order-extract"
        if request.user.role == Role.PARTICIPANT and not request.user.is_superuser
        else "mentoring:order-pdf"
    )
    rows = []
    for pair in pairs_with_documents(user=request.user)[:100]:
        order = pair.order
        signed = order is not None and order.status == Order.Status.SIGNED
        rows.append(
            {
                "pair": pair,
                "order": order if signed else None,
                "order_url": reverse(order_view, args=[order.pk]) if signed else "",
                "is_extract": order_view == "mentoring:order-extract",
                "program": getattr(pair, "program", None),
            }
        )
    # Issue 14, the information base: one's own results and portfolio.
    person = Person.objects.filter(user=request.user).first()
    results = (
        list(ProgramResult.objects.filter(person=person).select_related("program"))
        if person
        else []
    )
    portfolio_url = (
        reverse("mentoring:mentor-portfolio", args=[person.pk])
        if person and is_mentor(person)
        else ""
    )
    return render(
        request,
        "mentoring/my_documents.html",
        {"rows": rows, "results": results, "portfolio_url": portfolio_url},
    )
