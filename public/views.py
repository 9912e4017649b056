"""The public mentoring pages: no login, each answer cached (public.cache)
and the same for every visitor but for the display mode."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from mentoring.models import Organization

from . import selectors
from .cache import cached_page
from .models import Post

# «Версия для слабовидящих» is remembered in a cookie for a year.
VISION_COOKIE = "public_vision"
LOW_VISION = "low"
NORMAL = "normal"


def vision_mode(request) -> str:
    return LOW_VISION if request.COOKIES.get(VISION_COOKIE) == LOW_VISION else NORMAL


def _page(request, template: str, context: dict) -> dict:
    mode = vision_mode(request)
    return render(
        request,
        template,
        # The path without the query: the page is cached whatever the query.
        {**context, "low_vision": mode == LOW_VISION, "here": request.path},
    )


def organization(request, pk: int):
    org = selectors.public_organization(pk=pk)
    return cached_page(
        name=f"organization:{pk}",
        organizations=Organization.objects.filter(pk=pk),
        mode=vision_mode(request),
        render=lambda: _page(
            request,
            "public/organization.html",
            {
                "organization": org,
                "roadmap": selectors.current_roadmap(organization=org),
                "documents": list(selectors.published_documents(organization=org)),
                "news": list(
                    selectors.published_posts(organization=org, kind=Post.Kind.NEWS)[
                        :10
                    ]
                ),
                "practices": list(
                    selectors.published_posts(organization=org, kind=Post.Kind.PRACTICE)
                ),
                "pairs_by_form": selectors.pairs_by_form(organization=org),
            },
        ),
    )


def document(request, pk: int, document_pk: int):
    org = selectors.public_organization(pk=pk)
    doc = selectors.published_document(organization=org, pk=document_pk)
    return cached_page(
        name=f"document:{doc.pk}",
        organizations=Organization.objects.filter(pk=pk),
        mode=vision_mode(request),
        render=lambda: _page(
            request,
            "public/document.html",
            {
                "organization": org,
                "document": doc,
                "extract": (
                    selectors.order_extract(order=doc.order) if doc.order_id else None
                ),
                "paragraphs": [p for p in doc.text.splitlines() if p.strip()],
            },
        ),
    )


def post(request, pk: int, post_pk: int):
    org = selectors.public_organization(pk=pk)
    item = selectors.published_post(organization=org, pk=post_pk)
    return cached_page(
        name=f"post:{item.pk}",
        organizations=Organization.objects.filter(pk=pk),
        mode=vision_mode(request),
        render=lambda: _page(
            request,
            "public/post.html",
            {"organization": org, "post": item},
        ),
    )


def district(request, pk: int):
    area = selectors.public_district(pk=pk)
    return cached_page(
        name=f"district:{pk}",
        organizations=Organization.objects.filter(district=area),
        mode=vision_mode(request),
        render=lambda: _page(
            request,
            "public/district.html",
            {
                "district": area,
                "organizations": selectors.district_organizations(district=area),
            },
        ),
    )


def vision(request):
    """Switch the display mode and go back where the visitor was. A link,
    not a form: the pages are cached and carry no CSRF token."""
    mode = LOW_VISION if request.GET.get("mode") == LOW_VISION else NORMAL
    back = request.GET.get("next", "")
    if not back.startswith("/public/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("public:index")
    response = HttpResponseRedirect(back)
    response.set_cookie(
        VISION_COOKIE,
        mode,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


def index(request):
    """The districts, each leading to its organizations."""
    return cached_page(
        name="index",
        organizations=Organization.objects.all(),
        mode=vision_mode(request),
        render=lambda: _page(
            request,
            "public/index.html",
            {"districts": selectors.districts()},
        ),
    )
