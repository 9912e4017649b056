"""The curator's back office. Each module registers the admins of one area."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (registration)
    documents,
    logins,
    matching,
    orders,
    pairs,
    people,
    reference,
)

admin.site.site_header = _("Наставник — рабочий кабинет")
admin.site.site_title = _("Наставник")
admin.site.index_title = _("Система наставничества")
admin.site.site_url = "/"
# Wide lists (people, pairs) need the width more than a second menu does.
admin.site.enable_nav_sidebar = False
