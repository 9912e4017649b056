"""What each role may do in the admin, granted by role instead of by groups.

Rows are still filtered by `visible_to(user)`: a permission here says which
kind of record a role may touch, the scope says which of them.
"""

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from .models import Role, User

_WORK = [
    "mentoring.person",
    "mentoring.consent",
    "mentoring.persondocument",
    "mentoring.mentorprofile",
    "mentoring.menteeprofile",
    "mentoring.mentortraining",
    "mentoring.pair",
    "mentoring.participation",
    "mentoring.program",
    "mentoring.programitem",
    "mentoring.meeting",
    "mentoring.order",
    "mentoring.orderitem",
    "mentoring.orderacquaintance",
    "mentoring.orderreward",
    "mentoring.preference",
]
_UNDELETABLE = [
    "mentoring.consent",
    "mentoring.persondocument",
    "mentoring.mentorprofile",
    "mentoring.menteeprofile",
]
_ROADMAP = [
    "roadmap.roadmap",
    "roadmap.stage",
    "roadmap.activity",
    "roadmap.evidence",
]
# Filled and printed on the site's own page (a service writes it); the
# admin shows it on the mentor's card beside the consents.
_AGREEMENTS = ["mentoring.mentoragreement"]
_SURVEYS = ["surveys.questionnaire", "surveys.question"]
_SURVEY_RESULTS = ["surveys.response", "surveys.answer"]
# Issue 14 (public): what the curator publishes on the public page.
_PUBLIC = ["public.post", "public.publicdocument"]
# Issue 14, district: the methodologist chooses the district's pilots.
_DISTRICT = ["district.pilot"]
_REFERENCE = [
    "mentoring.organization",
    "mentoring.mentoringform",
    "mentoring.documentrequirement",
    "mentoring.auditentry",
    "mentoring.invitation",
]


def _perms(models: list[str], actions: tuple[str, ...]) -> set[str]:
    perms = set()
    for label in models:
        app, model = label.split(".")
        perms.update(f"{app}.{action}_{model}" for action in actions)
    return perms


ALL = ("view", "add", "change", "delete")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CURATOR: frozenset(
        # Consents and bank entries are records with a history: they are
        # withdrawn or archived through services, never deleted.
        _perms(_WORK, ALL) - _perms(_UNDELETABLE, ("delete",))
        | _perms(_ROADMAP, ALL)
        | _perms(["roadmap.reminderlog"], ("view",))
        | _perms(_REFERENCE, ("view",))
        | _perms(_AGREEMENTS, ("view",))
        | {"mentoring.change_organization"}
        | _perms(_SURVEYS, ALL)
        | _perms(_SURVEY_RESULTS, ("view",))
        | _perms(_PUBLIC, ALL)
    ),
    # The methodologist keeps the district's roadmap; the schools' are read-only
    # to them (roadmap.services.ensure_can_edit_roadmap).
    Role.METHODOLOGIST: frozenset(
        _perms(
            _WORK + _REFERENCE + _AGREEMENTS + _SURVEYS + _SURVEY_RESULTS + _PUBLIC,
            ("view",),
        )
        | _perms(_ROADMAP, ALL)
        | _perms(_DISTRICT, ALL)
    ),
    Role.DIRECTOR: frozenset(
        _perms(_WORK + _REFERENCE + _SURVEYS + _SURVEY_RESULTS + _ROADMAP, ("view",))
    ),
    Role.PSYCHOLOGIST: frozenset(
        _perms(
            [
                "mentoring.person",
                "mentoring.menteeprofile",
                "mentoring.pair",
                "mentoring.participation",
                "mentoring.mentoringform",
            ],
            ("view",),
        )
    ),
    Role.PARTICIPANT: frozenset(),
}

# Roles that work in the back office (the admin); the others use the site.
ADMIN_ROLES = (Role.CURATOR, Role.METHODOLOGIST)


class RoleBackend(ModelBackend):
    # ModelBackend reads the request's user through the ORM, which builds and
    # compiles the same statement on every request: 0.43 ms of CPU on every
    # signed-in page against 0.18 ms through raw() (issue 15).
    def get_user(self, user_id):
        opts = User._meta
        quote = connection.ops.quote_name
        users = User.objects.raw(
            f"SELECT * FROM {quote(opts.db_table)} WHERE {quote(opts.pk.column)} = %s",
            [user_id],
        )
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    # A permission the role grants needs no rows: ModelBackend reads the
    # user's own and their groups' permissions (two queries per request)
    # only to add to what the role gives, so they are read only for a
    # permission the role does not give. Profiled on the admin lists of the
    # generated district (issue 15): the two reads were a tenth of the page.
    def has_perm(self, user_obj, perm, obj=None):
        if obj is None and user_obj.is_active and perm in _role_perms(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and any(
            perm.startswith(app_label + ".") for perm in _role_perms(user_obj)
        ):
            return True
        return super().has_module_perms(user_obj, app_label)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        # An admin page asks has_perm about a hundred times (the sidebar checks
        # every model); ModelBackend keeps the user's rows on the user object
        # for the request, and so does this, keyed by the role it was built for.
        cached = getattr(user_obj, "_role_perm_cache", None)
        if cached is None or cached[0] != user_obj.role:
            perms = set(super().get_all_permissions(user_obj))
            perms |= ROLE_PERMISSIONS.get(user_obj.role, frozenset())
            cached = user_obj._role_perm_cache = (user_obj.role, perms)
        return cached[1]


def _role_perms(user_obj) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(getattr(user_obj, "role", None), frozenset())
