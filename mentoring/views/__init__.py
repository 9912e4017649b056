from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mentoring import selectors
from mentoring.access import EVERYONE, STAFF, has_role, role_required
from mentoring.home import panels_for
from mentoring.models import Order, Pair, Role
from mentoring.selectors.consents import suspended_pairs

# How many mentees to support the home page names; the rest are a link away.
SUPPORT_SHOWN = 10


def _link(name: str, **filters) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(filters)}" if filters else url


def _admin_list(model: str, **filters) -> str:
    return _link(f"admin:mentoring_{model}_changelist", **filters)


def support_list_url(user) -> str:
    """Where the mentees without a pair are listed: the bank in the admin for
    those who form pairs there, the site's page for the others."""
    if user.is_staff:
        return _admin_list(
            "menteeprofile", status__exact="in_bank", paired="no", consent="valid"
        )
    return reverse("mentoring:support")


def _today(user, counts: dict, unpaired_count: int) -> list[dict]:
    """What the day asks of this role, each with the list it counts."""
    orders, pairs = counts["orders"], counts["pairs"]
    items = []
    if has_role(user, (Role.DIRECTOR,)):
        items.append(
            {
                "text": _("Приказы на подпись"),
                "count": orders[Order.Status.ON_SIGNATURE],
                "url": reverse("mentoring:orders"),
            }
        )
    if user.is_staff and has_role(user, (Role.CURATOR,)):
        items.append(
            {
                "text": _("Приказы, возвращённые на доработку"),
                "count": orders[Order.Status.RETURNED],
                "url": _admin_list("order", status__exact=Order.Status.RETURNED),
            }
        )
        items.append(
            {
                "text": _("Приостановленные пары ждут решения"),
                "count": pairs[Pair.Status.SUSPENDED],
                "url": _admin_list("pair", status__exact=Pair.Status.SUSPENDED),
            }
        )
    # The psychologist's page opens with these mentees; the district's
    # methodologist does not support them herself.
    if has_role(user, (Role.CURATOR, Role.DIRECTOR)):
        items.append(
            {
                "text": _("Наставляемые без пары: нужно сопровождение"),
                "count": unpaired_count,
                "url": support_list_url(user),
            }
        )
    # What is not owed is not listed: the day's list stays short.
    return [item for item in items if item["count"]]


def _counters(user, counts: dict, unpaired_count: int) -> list[dict]:
    """The figures of the organization (the district), each a link to its
    list in the back office. Those without one (the head, the psychologist)
    get what they act on in «На сегодня» and the mentees' list instead."""
    if not user.is_staff:
        return []
    persons, pairs, orders = counts["persons"], counts["pairs"], counts["orders"]
    shown = [
        (_("Участников"), persons["total"], _admin_list("person"), False),
        (
            _("Без действующего согласия"),
            persons["without_consent"],
            _admin_list("person", consent="missing"),
            True,
        ),
        (_("Пар и групп"), pairs["total"], _admin_list("pair"), False),
    ]
    if has_role(user, (Role.CURATOR,)):
        shown.append(
            (
                _("Приказов на подписи"),
                orders[Order.Status.ON_SIGNATURE],
                _admin_list("order", status__exact=Order.Status.ON_SIGNATURE),
                False,
            )
        )
    shown.append(
        (_("Наставляемых без пары"), unpaired_count, support_list_url(user), True)
    )
    return [
        {"label": label, "value": value, "url": url, "alert": alert and value > 0}
        for label, value, url, alert in shown
    ]


def _pair_statuses(user, counts: dict) -> list[dict]:
    """Pairs by status, each linked to the pairs list filtered by it: for those
    who keep pairs in the back office."""
    if not user.is_staff:
        return []
    return [
        {
            "label": status.label,
            "value": number,
            "url": _admin_list("pair", status__exact=status.value),
        }
        for status, number in counts["pair_statuses"]
    ]


# The regional centre's home holds only its satellite's panel (regions).
@role_required(*EVERYONE, Role.REGIONAL)
def home(request):
    user = request.user
    context = {}
    if has_role(user, STAFF):
        where = user.organization or user.district
        context["title"] = (
            _("Наставничество: %(where)s") % {"where": where}
            if where
            else _("Наставничество: все организации")
        )
        unpaired = selectors.mentees_without_pair(user=user)
        unpaired_count = unpaired.count()
        counts = selectors.dashboard_counts(user=user)
        context.update(
            # Pairs suspended when a consent ended wait for the curator's decision.
            suspended=suspended_pairs(user=user),
            counts=counts,
            show_today=has_role(user, (Role.CURATOR, Role.DIRECTOR)),
            today=_today(user, counts, unpaired_count),
            counters=_counters(user, counts, unpaired_count),
            pair_statuses=_pair_statuses(user, counts),
            unpaired=unpaired[:SUPPORT_SHOWN],
            unpaired_count=unpaired_count,
            support_url=support_list_url(user),
            # The psychologist's day is these mentees: they come first for her.
            support_first=user.role == Role.PSYCHOLOGIST and not user.is_superuser,
        )
    else:
        context["pairs"] = selectors.pairs_for_user(user=user)[:50]
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
