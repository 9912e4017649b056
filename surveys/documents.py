"""The printed monitoring report (DESIGN.md §3): context and rendering."""

from __future__ import annotations

from django.utils import timezone

from mentoring.models import Person, User
from mentoring.names import initials_surname
from mentoring.pdf import render_pdf

from .charts import monitoring_charts
from .monitoring import Monitoring, hide_names


def monitoring_report_pdf(result: Monitoring, *, scope: str, user: User) -> bytes:
    """The printed справка, made to be sent to the district: nobody by name."""
    organization = user.organization
    return render_pdf(
        "documents/monitoring_report.html",
        {
            "result": hide_names(result),
            "scope": scope,
            "organization": organization,
            "charts": monitoring_charts(result),
            "made_on": timezone.localdate(),
            "signer_position": user.get_role_display(),
            "signer": _signer_name(user),
        },
    )


def _signer_name(user: User) -> str:
    """«А.С. Корнилова», as under a document; from the person if there is one."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return initials_surname(person)
    initial = f"{user.first_name[:1]}. " if user.first_name else ""
    return f"{initial}{user.last_name}".strip() or user.username
