"""The site's menu (templates/_menu.html), rendered once per kind of user.

The menu of base.html differs only by role, by two flags and, for a
methodologist, by district; yet each page reversed its eleven links and
tested its conditions again: a third of base.html's time, about 0.4 ms of
CPU on every page of the site (issue 15). Rendered once per process for
each key here, it costs a dictionary lookup.
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from mentoring.models import Role

register = template.Library()


# Keys: a few roles × two flags × the region's districts; 1024 holds them.
@lru_cache(maxsize=1024)
def _menu(
    role: str, is_superuser: bool, is_staff: bool, district_id, prefix: str
) -> SafeString:
    # `prefix` is in the key because the links begin with it (SCRIPT_NAME).
    context = {
        "role": role,
        "is_superuser": is_superuser,
        "is_staff": is_staff,
        "district_id": district_id,
    }
    return mark_safe(render_to_string("_menu.html", context).strip())


@register.simple_tag
def role_menu(user) -> SafeString:
    district_id = user.district_id if user.role == Role.METHODOLOGIST else None
    return _menu(
        user.role,
        user.is_superuser,
        user.is_staff,
        district_id,
        get_script_prefix(),
    )


@receiver(setting_changed)
def _forget_menus(*, setting, **kwargs):
    # Tests that swap the URLs or the templates get menus of their own.
    if setting in ("ROOT_URLCONF", "TEMPLATES", "INSTALLED_APPS"):
        _menu.cache_clear()
