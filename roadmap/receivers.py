"""What the roadmap does when the core announces a change (mentoring.signals).

Receivers run inside the announcing service's transaction: an error here
refuses the change itself, and what they write commits with it.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import Order, User

from .services import close_activities_with_evidence

# Which roadmap activity a signed order of each kind proves done (the codes
# the roadmap templates give their activities).
ACTIVITY_OF_ORDER_KIND = {
    Order.Kind.PAIRS: "form_pairs",
    Order.Kind.REGULATIONS: "adopt_acts",
    Order.Kind.FINAL_EVENT: "final_event_order",
}


def close_activities_of_signed_order(
    sender, *, order: Order, by: User, on: datetime.date, **kwargs
) -> None:
    """The signed order is the evidence of its roadmap activity, which is done."""
    code = ACTIVITY_OF_ORDER_KIND.get(order.kind)
    if code is None:
        return
    close_activities_with_evidence(
        organization=order.organization,
        obj=order,
        code=code,
        title=_("Приказ от %(day)s № %(number)s «%(title)s»")
        % {
            "day": short_date(on),
            "number": order.full_number,
            "title": order.title,
        },
        url=reverse("mentoring:order-pdf", args=[order.pk]),
        done_on=on,
        by=by,
    )
