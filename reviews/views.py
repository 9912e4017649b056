from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import ACTING, deny_unless, has_role, role_required
from mentoring.models import Role
from mentoring.params import int_param

from . import selectors, services
from .forms import DecisionForm, SubmitForm
from .models import Review

# The school sends, the district decides; both read what was sent.
READERS = (*ACTING, Role.METHODOLOGIST)
DECIDERS = (Role.METHODOLOGIST,)
LIST_SIZE = 200


def _review(request, pk) -> Review:
    return get_object_or_404(
        Review.objects.visible_to(request.user).select_related(
            "organization", "roadmap", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


@role_required(*READERS)
def review_list(request):
    return render(
        request,
        "reviews/list.html",
        {
            "reviews": selectors.reviews_for_user(user=request.user)[:LIST_SIZE],
            "can_submit": has_role(request.user, ACTING)
            and not request.user.is_superuser,
        },
    )


@role_required(*ACTING, seen_by=DECIDERS)
def review_submit(request):
    organization = request.user.organization
    if organization is None:
        # The superuser passes the gate but belongs to no school.
        raise Http404
    initial = {"subject": Review.Subject.PROGRAM}
    # «Направить исправленный документ»: the returned one's fields to start from.
    after = int_param(request.GET.get("after"))
    if after is not None:
        returned = _review(request, after)
        initial = {
            "subject": returned.subject,
            "roadmap": returned.roadmap_id,
            "title": returned.title,
            "url": returned.url if returned.roadmap_id is None else "",
        }
    form = SubmitForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.submit_for_review(
                by=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(review)s направлено на экспертизу методисту района.")
                % {"review": review},
            )
            return redirect("reviews:detail", review.pk)
    return render(request, "reviews/submit.html", {"form": form})


@role_required(*READERS)
def review_detail(request, pk):
    review = _review(request, pk)
    can_decide = review.is_pending and services.can_decide(
        user=request.user, review=review
    )
    return render(
        request,
        "reviews/detail.html",
        {
            "review": review,
            "history": selectors.review_history(review=review),
            "closed": selectors.closed_activities(review=review),
            "form": DecisionForm() if can_decide else None,
            "can_resubmit": review.status == Review.Status.RETURNED
            and has_role(request.user, ACTING)
            and not request.user.is_superuser,
        },
    )


@role_required(*DECIDERS, seen_by=ACTING)
@require_POST
def review_decide(request, pk):
    review = _review(request, pk)
    deny_unless(services.can_decide(user=request.user, review=review))
    form = DecisionForm(request.POST)
    form.is_valid()
    comments = form.cleaned_data.get("comments", "")
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.approve_review(by=request.user, review=review, comments=comments)
            closed = selectors.closed_activities(review=review)
            if closed:
                messages.success(
                    request,
                    _("Документ одобрен. В дорожной карте школы выполнено: %(what)s.")
                    % {"what": "; ".join(f"«{activity}»" for activity in closed)},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Документ одобрен. В дорожной карте школы на этот учебный "
                        "год нет мероприятия для него: отметок не сделано."
                    ),
                )
        elif decision == "return":
            services.return_review(by=request.user, review=review, comments=comments)
            messages.success(request, _("Документ возвращён школе на доработку."))
        else:
            messages.error(request, _("Выберите решение: одобрить или вернуть."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("reviews:detail", review.pk)
