"""The curator's and the head's home-page panel: the public page's address
to give the school's site, and what is published on it."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.models import Organization, Role

from .models import Post

ROLES = (Role.CURATOR, Role.DIRECTOR)


def public_page_panel(request) -> dict | None:
    user = request.user
    if user.organization_id is None:
        return None
    counts = Organization.objects.filter(pk=user.organization_id).aggregate(
        published=Count(
            "public_posts",
            filter=Q(public_posts__status=Post.Status.PUBLISHED),
            distinct=True,
        ),
        drafts=Count(
            "public_posts",
            filter=Q(public_posts__status=Post.Status.DRAFT),
            distinct=True,
        ),
        documents=Count(
            "public_documents",
            filter=Q(public_documents__is_published=True),
            distinct=True,
        ),
    )
    items = [
        {
            "text": _("Открыть страницу наставничества"),
            "url": reverse("public:organization", args=[user.organization_id]),
            "note": _("без входа в систему: ссылку можно дать на сайте школы"),
        }
    ]
    if user.has_perm("public.view_post"):
        items += [
            {
                "text": _("Новости и методическая копилка"),
                "url": reverse("admin:public_post_changelist"),
                "note": _("опубликовано: %(published)s, черновиков: %(drafts)s")
                % counts,
            },
            {
                "text": _("Документы на странице"),
                "url": reverse("admin:public_publicdocument_changelist"),
                "note": _("опубликовано: %(documents)s") % counts,
            },
        ]
    return {"title": _("Страница наставничества на сайте"), "items": items}
