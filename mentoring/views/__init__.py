from django.shortcuts import render
from django.utils.translation import gettext as _

from mentoring import selectors
from mentoring.access import EVERYONE, STAFF, has_role, role_required
from mentoring.home import panels_for
from mentoring.models import Role
from mentoring.selectors.consents import suspended_pairs


# The regional centre's home holds only its satellite's panel (regions).
@role_required(*EVERYONE, Role.REGIONAL)
def home(request):
    user = request.user
    context = {"pairs": selectors.pairs_for_user(user=user)[:50]}
    if has_role(user, STAFF):
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
    if has_role(user, (Role.CURATOR,)):
        documents = selectors.documents_to_renew(user=user)
        context.update(
            show_documents=True,
            documents=documents[:50],
            documents_count=documents.count(),
        )
    if user.role == Role.REGIONAL:
        # Issue 14, regions: the regional centre's work is its region's table.
        context["title"] = _("Наставничество: %(where)s") % {"where": user.region}
    context["panels"] = panels_for(request)
    return render(request, "mentoring/home.html", context)
