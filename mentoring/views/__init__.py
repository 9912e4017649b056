from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from mentoring import selectors
from mentoring.models import Role
from mentoring.selectors.consents import suspended_pairs


@login_required
def home(request):
    user = request.user
    context = {"pairs": selectors.pairs_for_user(user=user)[:50]}
    if user.is_superuser or user.role != Role.PARTICIPANT:
        where = user.organization or user.district
        context["title"] = (
            _("Наставничество: %(where)s") % {"where": where}
            if where
            else _("Наставничество: все организации")
        )
        unpaired = selectors.mentees_without_pair(user=user)
        context.update(
            # Pairs suspended when a consent ended wait for the curator's decision.
            suspended=suspended_pairs(user=user),
            counts=selectors.dashboard_counts(user=user),
            unpaired=unpaired[:20],
            unpaired_count=unpaired.count(),
        )
    return render(request, "mentoring/home.html", context)
