"""The back office's admin site: Django's, with the app list built on demand.

Django's `AdminSite.each_context` builds the whole app list on every admin
page (every registered model's permissions and two URL reversals each) for
the navigation sidebar, which we turn off (mentoring/admin/__init__.py):
profiled on a change list of the generated district (issue 15), that was a
tenth of the page's Python for a list nobody printed. Here it is built when a
template first reads it. Kept out of mentoring/admin/, whose import registers
every admin with this very site.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.functional import SimpleLazyObject


class AdminSite(admin.AdminSite):
    def each_context(self, request):
        script_name = request.META["SCRIPT_NAME"]
        site_url = (
            script_name if self.site_url == "/" and script_name else self.site_url
        )
        # Django's each_context, but for the app list, built when read.
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }


class AdminConfig(DjangoAdminConfig):
    default_site = "mentoring.admin_site.AdminSite"
