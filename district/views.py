"""The methodologist's table of the district's organizations."""

import io

from django.db.models import Q
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from mentoring.access import role_required
from mentoring.models import District, Organization, Role
from mentoring.pdf import pdf_response

from . import documents, page
from .forms import TableParams, sorted_rows
from .selectors import Period, districts_visible_to, organization_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _district(request, pk) -> District:
    # Another district's methodologist is told nothing exists here.
    return get_object_or_404(districts_visible_to(request.user), pk=pk)


def _table(request, district: District):
    """The table as asked, or with the defaults and the reasons when the
    query string is wrong."""
    params = TableParams(request.GET)
    valid = params.is_valid()
    data = params.cleaned_data if valid else {}
    organizations = Organization.objects.all()
    if data.get("pilot") == "yes":
        organizations = organizations.filter(pilot__isnull=False)
    elif data.get("pilot") == "no":
        organizations = organizations.filter(pilot__isnull=True)
    if data.get("kind"):
        organizations = organizations.filter(kind=data["kind"])
    if data.get("q"):
        organizations = organizations.filter(
            Q(short_name__icontains=data["q"]) | Q(full_name__icontains=data["q"])
        )
    table = organization_rows(
        district=district, period=Period.current(), organizations=organizations
    )
    rows = table.rows
    if data.get("attention"):
        rows = [row for row in rows if row.attention]
    key, descending = data.get("sort") or ("name", False)
    rows = sorted_rows(rows, key, descending)
    errors = [] if valid else [m for ms in params.errors.values() for m in ms]
    return table, rows, params, errors


def _bad_request(errors):
    return HttpResponseBadRequest(
        " ".join(errors), content_type="text/plain; charset=utf-8"
    )


@role_required(Role.METHODOLOGIST)
def organizations(request, pk):
    district = _district(request, pk)
    table, rows, params, errors = _table(request, district)
    sort = (request.GET.get("sort") or "name") if not errors else "name"
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "district/organizations.html",
        {
            "district": district,
            "table": table,
            "columns": page.columns(table, sort=sort, query=query.urlencode()),
            "lines": [page.row_html(page.cells(table, row)) for row in rows],
            "params": params,
            "errors": errors,
            "sort": sort,
            "full_query": request.GET.urlencode() if not errors else "",
        },
        status=400 if errors else 200,
    )


@role_required(Role.METHODOLOGIST)
def organizations_xlsx(request, pk):
    table, rows, params, errors = _table(request, _district(request, pk))
    if errors:
        return _bad_request(errors)
    return FileResponse(
        io.BytesIO(documents.table_xlsx_bytes(table, rows)),
        as_attachment=True,
        filename=documents.file_name(table, "xlsx"),
        content_type=XLSX,
    )


@role_required(Role.METHODOLOGIST)
def organizations_pdf(request, pk):
    table, rows, params, errors = _table(request, _district(request, pk))
    if errors:
        return _bad_request(errors)
    return pdf_response(
        documents.table_pdf(table, rows, filters=_filters_text(params)),
        documents.file_name(table, "pdf"),
    )


def _filters_text(params: TableParams) -> str:
    data = params.cleaned_data
    parts = []
    if data.get("pilot"):
        parts.append(dict(params.fields["pilot"].choices)[data["pilot"]])
    if data.get("kind"):
        parts.append(str(dict(params.fields["kind"].choices)[data["kind"]]))
    if data.get("attention"):
        parts.append(_("требуют внимания"))
    if data.get("q"):
        parts.append(_("название содержит «%(q)s»") % {"q": data["q"]})
    return "; ".join(str(p) for p in parts)
