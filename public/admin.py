"""The curator's back office for the public page: news and best practices
(the методическая копилка) and the documents shown there. Writes go
through public.services."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mentoring.admin.base import ScopedAdminMixin
from mentoring.models import Order

from . import services
from .models import Post, PublicDocument


class _PublicPageLink:
    def get_changeform_initial_data(self, request):
        # Published today unless the curator dates it otherwise.
        return {
            "published_on": timezone.localdate(),
            **super().get_changeform_initial_data(request),
        }

    @admin.display(description=_("на сайте"))
    def public_link(self, obj):
        if not obj.pk or not self._is_public(obj):
            return "—"
        return format_html('<a href="{}">{}</a>', self._public_url(obj), _("открыть"))


@admin.register(Post)
class PostAdmin(_PublicPageLink, ScopedAdminMixin, admin.ModelAdmin):
    organization_field = "organization"
    list_display = [
        "title",
        "kind",
        "status",
        "published_on",
        "organization",
        "public_link",
    ]
    list_filter = ["kind", "status", "organization"]
    list_select_related = ["organization"]
    search_fields = ["title"]
    fields = [
        "organization",
        "kind",
        "title",
        "summary",
        "body",
        "status",
        "published_on",
    ]

    def _is_public(self, obj):
        return obj.status == Post.Status.PUBLISHED

    def _public_url(self, obj):
        return reverse("public:post", args=[obj.organization_id, obj.pk])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        services.save_post(post=obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_post(post=obj, by=request.user)


@admin.register(PublicDocument)
class PublicDocumentAdmin(_PublicPageLink, ScopedAdminMixin, admin.ModelAdmin):
    organization_field = "organization"
    list_display = [
        "__str__",
        "kind",
        "is_published",
        "published_on",
        "position",
        "organization",
        "public_link",
    ]
    list_filter = ["kind", "is_published", "organization"]
    list_select_related = ["organization", "order"]
    fields = [
        "organization",
        "kind",
        "order",
        "title",
        "text",
        "is_published",
        "published_on",
        "position",
    ]

    def _is_public(self, obj):
        return obj.is_published

    def _public_url(self, obj):
        return reverse("public:document", args=[obj.organization_id, obj.pk])

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "order" and field is not None:
            # Only a signed order may be published (the service checks too).
            field.queryset = field.queryset.filter(status=Order.Status.SIGNED)
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        services.save_public_document(document=obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_public_document(document=obj, by=request.user)
