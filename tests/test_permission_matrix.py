"""The permission matrix of the product: every URL × every role × a record of
one's own school and of another one.

The test walks the whole URL configuration (the admin included: every
registered model's pages, its exports, the custom views) and asks each
pattern as every kind of user, with ids of records that exist in both
schools. What each role gets is declared below, one row per URL name (the
admin's pages from one line per model): read the tables as the product's
permission matrix. A URL without a row fails the test, so a new page cannot
escape it.

Answers: 200; LOGIN (302 to the site's or the admin's login); 403 (seen but
not allowed); 404 (what the user may not know exists); 405 (a POST-only
address asked with GET); MOVED (302 elsewhere: a POST that did its work and
went back, the admin's «no such record», which leads to its index).

Another school's record: a role refused by the gate is refused the same way
(the gate answers before any lookup, so it tells nothing); a role that passes
the gate does not find it (404; the admin: MOVED to its index); the superuser
finds it. Rows say where it differs.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mentoring.models import Pair
from tests.factories import ensure_catalogue
from tests.schools import (
    ROLES,
    School,
    build_school,
    signature_code,
    store_signed_pdf,
)

LOGIN = "login"
MOVED = 302
OK = 200
PARTICIPANTS = ("outsider", "mentee", "mentor")
STAFF = ("curator", "director", "psychologist", "methodologist")
# The admin is for the back office; the others are sent to its login page.
ADMIN_STAFF = ("curator", "methodologist", "superuser")


def answers(default=OK, **by_role) -> dict[str, object]:
    """Every role's answer: `default`, but the anonymous visitor goes to log in.

    The regional centre (issue 14) reads its districts' aggregates only: a
    page behind the login is one it may not know exists (404, or 405 for a
    POST-only address), unless a row names it; a page open without a login
    answers it as everyone else.
    """
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = LOGIN
    table.update(by_role)
    if "regional" not in by_role:
        open_to_all = table["anonymous"] != LOGIN
        table["regional"] = default if open_to_all or default == 405 else 404
    return table


def refusing(roles, answer) -> dict[str, object]:
    return dict.fromkeys(roles, answer)


@dataclass
class Row:
    own: dict
    # URL keyword → a key of the school's ids or files, or a function of the
    # school giving the value.
    params: dict = field(default_factory=dict)
    method: str = "get"
    # Another school's record: None derives it (module docstring); {} when
    # the URL names no record of a school.
    other: dict | None = None
    missing: object = 404
    query: str = ""
    # POST fields beyond FIELDS, resolved like `params`.
    data: dict = field(default_factory=dict)
    # Its 403s come from the record (`deny_unless`), not from the role gate:
    # another school's record is not found instead.
    refused_by_record: bool = False

    def expected_elsewhere(self) -> dict:
        if self.other is not None:
            return self.other
        derived = {}
        for role, own in self.own.items():
            kept = own in (LOGIN, 404) or (own == 403 and not self.refused_by_record)
            derived[role] = own if kept or role == "superuser" else self.missing
        return derived


# ---------------------------------------------------------------- the site

NOT_STAFF = refusing(PARTICIPANTS, 404)
# Matching: the school's curator and head decide, the other staff look on.
ACTING = answers(
    MOVED, **NOT_STAFF, psychologist=403, methodologist=403
)  # a POST, then back to the run
NOT_DIRECTOR = {**NOT_STAFF, "curator": 403, "psychologist": 403, "methodologist": 403}
# The mentor plans the pair's meetings; the school's curator and head may too.
PLANNING = {"outsider": 404, "mentee": 403, "psychologist": 403, "methodologist": 403}
RUN = {"pk": "run"}
SUGGESTION = {"pk": "run", "sid": "suggestion"}
ONLY_ANONYMOUS = {"anonymous": OK}
AGREEMENT = {"pk": "pair", "mentor_pk": "mentor"}
# District events: the other staff see an event but do not keep it.
METHODOLOGIST_ONLY = refusing(("curator", "director", "psychologist"), 403)
# Issue 14 (report).
REPORT_OF = {"pk": "mentoring.organization"}
SENT_REPORT = {"pk": "report_submission"}
BATCH_REFUSED = {**NOT_STAFF, "psychologist": 403, "methodologist": 403}
BATCHES = answers(**BATCH_REFUSED)
NOT_DISTRICT = {**NOT_STAFF, "curator": 404, "director": 404, "psychologist": 404}

DISTRICT_ONLY = answers(404, methodologist=OK, superuser=OK)
DISTRICT = {"pk": "mentoring.district"}

SITE = {
    "mentoring:home": Row(answers(regional=OK), other={}),
    # homes (issue 14): the mentees to support, for every staff role.
    "mentoring:support": Row(answers(**NOT_STAFF), other={}),
    "mentoring:my-documents": Row(answers(), other={}),
    "mentoring:matching": Row(answers(**NOT_STAFF), other={}),
    "mentoring:matching-run": Row(answers(**NOT_STAFF), RUN),
    "mentoring:matching-decide": Row(ACTING, SUGGESTION, "post"),
    "mentoring:matching-swap": Row(
        ACTING, SUGGESTION, "post", data={"other": "suggestion"}
    ),
    "mentoring:matching-accept-all": Row(ACTING, RUN, "post"),
    "mentoring:matching-rerun": Row(ACTING, RUN, "post"),
    "mentoring:matching-create-pairs": Row(ACTING, RUN, "post"),
    "mentoring:matching-order": Row(ACTING, RUN, "post"),
    "mentoring:orders": Row(answers(**NOT_DIRECTOR), other={}),
    "mentoring:order-sign": Row(
        answers(MOVED, **NOT_DIRECTOR), {"pk": "order"}, "post"
    ),
    "mentoring:order-return": Row(
        answers(MOVED, **NOT_DIRECTOR), {"pk": "order"}, "post"
    ),
    "mentoring:order-signed-on-paper": Row(
        answers(MOVED, **NOT_DIRECTOR), {"pk": "order"}, "post"
    ),
    # The whole signed order is the staff's; a participant gets an extract
    # of it about their own pair (the superuser is sent to the documents page:
    # an extract is of someone's pair).
    "mentoring:order-pdf": Row(
        answers(**refusing(PARTICIPANTS, 404)), {"pk": "signed_order"}
    ),
    "mentoring:order-extract": Row(
        answers(**refusing(STAFF, 403), outsider=404, superuser=MOVED),
        {"pk": "signed_order"},
    ),
    "mentoring:program-pdf": Row(answers(outsider=404), {"pk": "program"}),
    # The prefilled consent form: the school's office prints it; the
    # psychologist's work does not need the family's personal data.
    "mentoring:consent-form": Row(
        answers(**refusing(PARTICIPANTS, 403), psychologist=403), {"pk": "person"}
    ),
    "mentoring:consent-form-transfer": Row(
        answers(**refusing(PARTICIPANTS, 403), psychologist=403), {"pk": "person"}
    ),
    # The school is the operator: its curator or head hands a person's data
    # out on request; the district and the psychologist know of the person.
    "mentoring:person-data-export": Row(
        answers(**refusing(PARTICIPANTS, 404), psychologist=403, methodologist=403),
        {"pk": "person"},
    ),
    # Issue 14, the information base: a mentor's portfolio for аттестация.
    # The mentor prints their own (the mentee sees her mentor, not his file);
    # the school's curator and head print it; the district on the mentor's
    # consent to transfer (none here: sent back home with the reason); the
    # psychologist's work does not need it.
    "mentoring:mentor-portfolio": Row(
        answers(outsider=404, mentee=403, psychologist=403, methodologist=MOVED),
        {"pk": "mentor"},
        # The psychologist is refused by the gate, the mentee by the record.
        other=answers(404, psychologist=403, superuser=OK),
    ),
    "mentoring:destruction-act-pdf": Row(
        answers(**refusing(PARTICIPANTS, 403), psychologist=403),
        {"pk": "destruction_act"},
    ),
    # The mentor's agreement (ТК РФ ст. 351.8): the school's curator and head
    # conclude it; the other staff know it exists; its pay is no participant's
    # business.
    "mentoring:agreements": Row(
        answers(**NOT_STAFF, psychologist=403, methodologist=403), other={}
    ),
    "mentoring:agreement": Row(
        answers(**NOT_STAFF, psychologist=403, methodologist=403), AGREEMENT
    ),
    "mentoring:agreement-pdf": Row(
        answers(**NOT_STAFF, psychologist=403, methodologist=403), AGREEMENT
    ),
    # Issue 15: the school's curator and head print their documents in bulk;
    # the other staff know of it; the superuser has no school to print for.
    "mentoring:document-batches": Row(BATCHES, other={}),
    "mentoring:document-batch-programs": Row(
        answers(MOVED, **BATCH_REFUSED, superuser=404), method="post", other={}
    ),
    "mentoring:document-batch": Row(BATCHES, {"pk": "document_batch"}),
    "mentoring:document-batch-zip": Row(BATCHES, {"pk": "document_batch"}),
    "mentoring:consent-destruction": Row(
        answers(**NOT_STAFF, psychologist=403), other={}
    ),
    # Open to all: whoever has a slip (login and code) sets a password here.
    "mentoring:invitation-code": Row(answers(**ONLY_ANONYMOUS), other={}),
    "mentoring:invitation-password": Row(
        answers(MOVED, anonymous=MOVED), other={}
    ),  # no invitation in the session: back to the code
    "mentoring:invitation": Row(
        answers(404, anonymous=404), {"code": lambda school: "no-such-code"}, other={}
    ),
    # Public: the QR code on a signed order opens it; any school's order.
    "mentoring:order-verify": Row(
        answers(anonymous=OK),
        {"code": lambda school: signature_code(school.organization)},
        other=answers(anonymous=OK),
    ),
    # Issue 14 (public): the public mentoring pages, anyone's, without a login.
    "public:index": Row(answers(anonymous=OK), other={}),
    "public:vision": Row(answers(MOVED, anonymous=MOVED), other={}),
    "public:organization": Row(
        answers(anonymous=OK),
        {"pk": lambda school: school.organization.pk},
        other=answers(anonymous=OK),
    ),
    "public:district": Row(
        answers(anonymous=OK),
        {"pk": lambda school: school.organization.district_id},
        other=answers(anonymous=OK),
    ),
    "public:document": Row(
        answers(anonymous=OK),
        {"pk": lambda school: school.organization.pk, "document_pk": "public_document"},
        other=answers(anonymous=OK),
    ),
    "public:post": Row(
        answers(anonymous=OK),
        {"pk": lambda school: school.organization.pk, "post_pk": "public_post"},
        other=answers(anonymous=OK),
    ),
    "roadmap:list": Row(answers(**NOT_STAFF), other={}),
    "roadmap:create": Row(answers(**NOT_STAFF, psychologist=403), other={}),
    "roadmap:detail": Row(answers(**NOT_STAFF), {"pk": "roadmap"}),
    "roadmap:pdf": Row(answers(**NOT_STAFF), {"pk": "roadmap"}),
    "roadmap:xlsx": Row(answers(**NOT_STAFF), {"pk": "roadmap"}),
    "roadmap:print": Row(answers(**NOT_STAFF), {"pk": "roadmap"}),
    # The district reads a school's roadmap; the school keeps it.
    "roadmap:activity-status": Row(
        answers(MOVED, **NOT_STAFF, psychologist=403, methodologist=403),
        {"pk": "activity"},
        "post",
        other=answers(404, anonymous=LOGIN, psychologist=403, superuser=MOVED),
    ),
    # Issue 14, review: the school sends its program or roadmap, the
    # district's methodologist decides; the psychologist has no part in it
    # (the superuser belongs to no school that could send).
    "reviews:list": Row(answers(**NOT_STAFF, psychologist=404), other={}),
    "reviews:submit": Row(
        answers(**NOT_STAFF, psychologist=404, methodologist=403, superuser=404),
        other={},
    ),
    "reviews:detail": Row(answers(**NOT_STAFF, psychologist=404), {"pk": "review"}),
    "reviews:decide": Row(
        answers(MOVED, **NOT_STAFF, psychologist=404, curator=403, director=403),
        {"pk": "review"},
        "post",
        data={"decision": lambda school: "approve"},
    ),
    "surveys:dashboard": Row(answers(), other={}),
    "surveys:calendar": Row(answers(), other={}),
    "surveys:pair": Row(answers(outsider=404), {"pk": "pair"}),
    "surveys:meeting-new": Row(
        answers(**PLANNING), {"pk": "pair"}, refused_by_record=True
    ),
    "surveys:meeting-edit": Row(
        answers(**PLANNING), {"pk": "meeting"}, refused_by_record=True
    ),
    "surveys:meeting-cancel": Row(
        answers(MOVED, **PLANNING), {"pk": "meeting"}, "post", refused_by_record=True
    ),
    # Both sides of the pair answer after a meeting; the staff do not.
    "surveys:feedback": Row(
        answers(
            **{**PLANNING, "mentee": OK},
            curator=403,
            director=403,
            superuser=403,
        ),
        {"pk": "meeting"},
        refused_by_record=True,
    ),
    # Everyone reads the standard forms; only a person with a card answers.
    "surveys:answer": Row(
        answers(403, **refusing(PARTICIPANTS, OK)),
        {"pk": "questionnaire"},
        other={},  # the standard forms are everybody's
    ),
    "surveys:feedback-owed": Row(answers(**NOT_STAFF), other={}),
    "surveys:monitoring": Row(answers(**NOT_STAFF), other={}),
    "surveys:monitoring-xlsx": Row(answers(**NOT_STAFF), other={}),
    "surveys:monitoring-pdf": Row(answers(**NOT_STAFF), other={}),
    # Issue 14, regions: the regional centre's table of its districts.
    "regions:districts": Row(answers(404, regional=OK, superuser=OK), other={}),
    "regions:districts-xlsx": Row(answers(404, regional=OK, superuser=OK), other={}),
    # District events (issue 14, item 5): the district's methodologist keeps
    # them, the schools put their mentors down, a mentor sees their own.
    "events:list": Row(answers(), other={}),
    "events:create": Row(answers(**NOT_STAFF, **METHODOLOGIST_ONLY), other={}),
    "events:detail": Row(answers(outsider=404, mentee=404), {"pk": "event"}),
    "events:edit": Row(answers(**NOT_STAFF, **METHODOLOGIST_ONLY), {"pk": "event"}),
    "events:register": Row(
        answers(MOVED, **NOT_STAFF, psychologist=403),
        {"pk": "event"},
        "post",
        data={"mentor": "mentoring.mentorprofile"},
    ),
    "events:unregister": Row(
        answers(MOVED, **NOT_STAFF, psychologist=403), {"pk": "registration"}, "post"
    ),
    "events:attendance": Row(
        answers(MOVED, **NOT_STAFF, **METHODOLOGIST_ONLY), {"pk": "event"}, "post"
    ),
    "events:sheet-pdf": Row(
        answers(**NOT_STAFF, **METHODOLOGIST_ONLY), {"pk": "event"}
    ),
    "events:sheet-xlsx": Row(
        answers(**NOT_STAFF, **METHODOLOGIST_ONLY), {"pk": "event"}
    ),
    # Issue 14 (report): the school's report to the municipality. The
    # school's staff read it, its curator and head send it; the district's
    # methodologist reads every school's, their sum, and accepts them.
    "reports:index": Row(answers(MOVED, **NOT_STAFF), other={}),
    "reports:organization": Row(answers(**NOT_STAFF), REPORT_OF),
    "reports:organization-xlsx": Row(answers(**NOT_STAFF), REPORT_OF),
    "reports:organization-pdf": Row(answers(**NOT_STAFF), REPORT_OF),
    "reports:send": Row(
        answers(MOVED, **NOT_STAFF, psychologist=403, methodologist=403),
        REPORT_OF,
        "post",
    ),
    "reports:submission-pdf": Row(answers(**NOT_STAFF), SENT_REPORT),
    "reports:accept": Row(
        answers(MOVED, **NOT_STAFF, curator=403, director=403, psychologist=403),
        SENT_REPORT,
        "post",
    ),
    "reports:district": Row(answers(**NOT_DISTRICT), other={}),
    "reports:district-xlsx": Row(answers(**NOT_DISTRICT), other={}),
    "reports:district-pdf": Row(answers(**NOT_DISTRICT), other={}),
    # Issue 14, district: the methodologist's table of the district's
    # organizations; a school's staff and another district's methodologist
    # are told nothing.
    "district:organizations": Row(DISTRICT_ONLY, DISTRICT),
    "district:organizations-xlsx": Row(DISTRICT_ONLY, DISTRICT),
    "district:organizations-pdf": Row(DISTRICT_ONLY, DISTRICT),
    "login": Row(answers(anonymous=OK), other={}),
    # Every role changes its own password; anyone may ask for a reset link.
    "password_change": Row(answers(regional=OK), other={}),
    "password_change_done": Row(answers(regional=OK), other={}),
    "password_reset": Row(answers(anonymous=OK), other={}),
    "admin_password_reset": Row(answers(anonymous=OK), other={}),
    "password_reset_done": Row(answers(anonymous=OK), other={}),
    "password_reset_confirm": Row(
        answers(anonymous=OK),
        {"uidb64": lambda school: "MQ", "token": lambda school: "no-such-token"},
        other={},
    ),
    "password_reset_complete": Row(answers(anonymous=OK), other={}),
    "logout": Row(answers(405, anonymous=405), other={}),  # POST only
    "favicon": Row(answers(MOVED, anonymous=MOVED), other={}),  # to the static icon
    # Uploaded files: a consent's scan (here the mentee's own) goes to those
    # who keep consents, and to the person it is about.
    "private-file": Row(
        answers(outsider=404, mentor=404, psychologist=403),
        {"name": "consent scan"},
    ),
}

# ---------------------------------------------------------------- the admin

# What each back-office role may do with each registered model's records:
# view, add, change, delete; x: may delete such records, but not the ones
# asked for here. A change page the role may only view answers 200 too. The
# other roles are sent to the admin's login page.
# fmt: off
ADMIN_MODELS = {
    #                                     curator  methodologist  superuser
    "auth.group":                         ("",     "",            "vacd"),
    "django_tasks_database.dbtaskresult": ("",     "",            "v"),
    "mentoring.person":                   ("vacd", "v",           "vacd"),
    # Consents and bank entries are withdrawn or archived, never deleted;
    # the superuser's admin still may.
    "mentoring.consent":                  ("vac",  "v",           "vacd"),
    "mentoring.mentorprofile":            ("vac",  "v",           "vacd"),
    "mentoring.menteeprofile":            ("vac",  "v",           "vacd"),
    # Recorded from the person's page («внести документ»), then kept.
    "mentoring.persondocument":           ("vc",   "v",           "vc"),
    # Not deleted once they count: an active pair, its approved program, a
    # signed order (the records asked for here); meetings are cancelled.
    "mentoring.pair":                     ("vacx", "v",           "vacx"),
    "mentoring.program":                  ("vacx", "v",           "vacx"),
    "mentoring.meeting":                  ("vac",  "v",           "vac"),
    "mentoring.order":                    ("vacx", "v",           "vacx"),
    "mentoring.preference":               ("vacd", "v",           "vacd"),
    "mentoring.invitation":               ("v",    "v",           "v"),
    "mentoring.auditentry":               ("v",    "v",           "v"),
    "mentoring.district":                 ("",     "",            "vacd"),
    "mentoring.region":                   ("",     "",            "vacd"),
    "mentoring.organization":             ("vc",   "v",           "vacd"),
    "mentoring.mentoringform":            ("v",    "v",           "vacd"),
    "mentoring.documentrequirement":      ("v",    "v",           "vacd"),
    "mentoring.user":                     ("",     "",            "vacd"),
    # The district keeps its own roadmap and reads the schools'.
    "roadmap.roadmap":                    ("vacd", "vacx",        "vacd"),
    # Stages and activities are added on their roadmap's page.
    "roadmap.stage":                      ("vcd",  "vcx",         "vcd"),
    "roadmap.activity":                   ("vcd",  "vcx",         "vcd"),
    "roadmap.reminderlog":                ("v",    "",            "vd"),
    "surveys.questionnaire":              ("vacd", "v",           "vacd"),
    "surveys.response":                   ("v",    "v",           "vd"),
    # Issue 14 (public): the curator writes the public page; the district reads.
    "public.post":                        ("vacd", "v",           "vacd"),
    "public.publicdocument":              ("vacd", "v",           "vacd"),
    # Issue 14: the methodologist chooses the district's pilots.
    "district.pilot":                     ("",     "vacd",        "vacd"),
    # The login log: the superuser's alone.
    "axes.accessattempt":                 ("",     "",            "vd"),
    "axes.accesslog":                     ("",     "",            "vd"),
    "axes.accessfailurelog":              ("",     "",            "vd"),
}
# fmt: on
# Catalogues shared by every school: no other school's copy to ask for.
SHARED = {"mentoring.mentoringform", "mentoring.documentrequirement"}
# Seen only by the superuser, whole: another school's is found, and refused.
UNSCOPED = {
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
    "mentoring.district",
    "mentoring.region",
    "mentoring.user",
}
NOT_IN_ADMIN = {role: LOGIN for role in ROLES if role not in ADMIN_STAFF}
ADMIN_ONLY = answers(**NOT_IN_ADMIN)


def admin_rows() -> dict[str, Row]:
    """The rows of every registered model's pages, from `ADMIN_MODELS`.

    Another school's record: the change page asks for the right first, then
    does not find it (MOVED to the index); the history page looks first; the
    delete page asks for the right to delete such records, then looks. The
    models no school owns are found by whoever may see them.
    """
    rows = {}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label not in ADMIN_MODELS:
            continue  # the walk reports the model's pages as undeclared
        rights = dict(zip(ADMIN_STAFF, ADMIN_MODELS[label], strict=True))
        prefix = f"admin:{label.replace('.', '_')}"

        def page(letters, elsewhere=None, rights=rights):
            """Staff with one of `letters` get 200, the others 403; `elsewhere`:
            what those with one of its letters get for another school's record."""
            table = answers(**NOT_IN_ADMIN)
            for role in ADMIN_STAFF:
                mine = set(rights[role])
                table[role] = OK if mine & set(letters) else 403
                if elsewhere is not None and role != "superuser":
                    table[role] = MOVED if mine & set(elsewhere) else 403
            return table

        record = {"object_id": label}
        for action, letter in (("changelist", "v"), ("export", "v"), ("add", "a")):
            if action == "export" and not hasattr(model_admin, "export_view"):
                continue
            rows[f"{prefix}_{action}"] = Row(page(letter), other={})
        # /admin/<app>/<model>/<id>/ leads to the record's page, unlooked.
        leads = answers(MOVED, **NOT_IN_ADMIN)
        rows[f"admin/{label.replace('.', '/')}/<path:object_id>/"] = Row(
            leads, record, other=leads
        )
        views = {
            "change": (page("v"), page("v", elsewhere="v")),
            "history": (page("v"), page("v", elsewhere="vacdx")),
            "delete": (page("d"), page("d", elsewhere="dx")),
        }
        for action, (own, elsewhere) in views.items():
            if label in SHARED:
                elsewhere = {}
            elif label in UNSCOPED:
                elsewhere = own
            elif action == "history":
                elsewhere = {**elsewhere, **dict.fromkeys(ADMIN_STAFF[:2], MOVED)}
            rows[f"{prefix}_{action}"] = Row(own, record, other=elsewhere)
    return rows


ADMIN = {
    "admin:index": Row(ADMIN_ONLY, other={}),
    "admin:login": Row(answers(anonymous=OK, **refusing(ADMIN_STAFF, MOVED)), other={}),
    # POST only; the admin sends whoever is not its user to its index.
    "admin:logout": Row(answers(405, **dict.fromkeys(NOT_IN_ADMIN, MOVED)), other={}),
    "admin:password_change": Row(ADMIN_ONLY, other={}),
    "admin:password_change_done": Row(ADMIN_ONLY, other={}),
    "admin:jsi18n": Row(ADMIN_ONLY, other={}),
    "admin:app_list": Row(
        ADMIN_ONLY, {"app_label": lambda school: "mentoring"}, other={}
    ),
    # Lookups ask the target model's admin (the person's, here); the walk of
    # every autocomplete field is `test_autocomplete_offers_only_ones_own`.
    "admin:autocomplete": Row(
        ADMIN_ONLY,
        query="app_label=mentoring&model_name=consent&field_name=person&term=",
        other={},
    ),
    # No model here has a page on the site.
    "admin:view_on_site": Row(
        answers(404, **NOT_IN_ADMIN),
        {
            "content_type_id": lambda school: (
                ContentType.objects.get_for_model(Pair).pk
            ),
            "object_id": "mentoring.pair",
        },
    ),
    "admin/(?P<url>.*)$": Row(
        answers(404, **NOT_IN_ADMIN), {"url": lambda school: "no/such/page/"}, other={}
    ),
    "admin:mentoring_person_import": Row(
        answers(**NOT_IN_ADMIN, methodologist=403), other={}
    ),
    "admin:mentoring_person_import_template": Row(
        answers(**NOT_IN_ADMIN, methodologist=403),
        {"kind": lambda school: "staff"},
        other={},
    ),
    "admin:mentoring_person_import_preview": Row(
        answers(MOVED, **NOT_IN_ADMIN, methodologist=403),
        {"token": lambda school: "no-such-upload"},
        other={},
    ),
    "admin:roadmap_roadmap_import": Row(ADMIN_ONLY, other={}),
    # A draft's «Направить на подпись»: back to its page, the service's
    # answer shown there; another school's order is not found (the index).
    "admin:mentoring_order_submit": Row(
        answers(MOVED, **NOT_IN_ADMIN, methodologist=403),
        {"object_id": "order"},
        "post",
        other=answers(MOVED, **NOT_IN_ADMIN),
    ),
    "admin:auth_user_password_change": Row(
        answers(**NOT_IN_ADMIN, curator=403, methodologist=403),
        {"id": "mentoring.user"},
    ),
}

EXPECTED = {**SITE, **admin_rows(), **ADMIN}


# ---------------------------------------------------------------- the walk


def url_patterns(resolver=None, prefix="", namespace=""):
    """(key, pattern, route) of every URL: the key is its name with its
    namespace, or its route where it has no name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            key = f"{namespace}{pattern.name}" if pattern.name else route
            yield key, pattern, route


@dataclass
class World:
    own: School
    other: School


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two schools in two districts, built once for the module and rolled back
    after it; the first has a login of every role."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        ensure_catalogue()
        own, other = build_school(), build_school(users=False)
        for school in (own, other):
            store_signed_pdf(school)
        yield World(own=own, other=other)
        transaction.set_rollback(True)


def clients(school: School) -> dict[str, Client]:
    signed_in = {}
    for role in ROLES:
        signed_in[role] = Client()
        if school.users[role] is not None:
            signed_in[role].force_login(school.users[role])
    return signed_in


def resolve_value(value, school: School):
    if callable(value):
        return value(school)
    if value in school.files:
        return school.files[value]
    return school.ids[value]


def url_for(key: str, pattern, route: str, row: Row, school: School) -> str:
    kwargs = {name: resolve_value(v, school) for name, v in row.params.items()}
    url = reverse(key, kwargs=kwargs) if pattern.name else "/" + _fill(route, kwargs)
    return f"{url}?{row.query}" if row.query else url


def _fill(route: str, kwargs: dict) -> str:
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), url)
    return url.lstrip("^").rstrip("$")


def answer_of(response) -> object:
    if response.status_code == 302:
        path = urlsplit(response.url).path
        if path in (reverse("login"), reverse("admin:login")):
            return LOGIN
        return MOVED
    return response.status_code


# What a permitted POST sends, so it reaches the service and is not refused as
# malformed: a decision on a suggestion, an activity's status.
FIELDS = {"action": "accepted", "status": "done"}


def ask(client: Client, method: str, url: str, data: dict) -> object:
    """One request whose writes are undone, so every role finds the same records."""
    with transaction.atomic():
        try:
            if method == "post":
                response = client.post(url, {**FIELDS, **data})
            else:
                response = client.get(url)
            if response.streaming:
                # Read to the end: the client then finishes the request the
                # way a server does, leaving the test's connection open.
                b"".join(response.streaming_content)
            return answer_of(response)
        except Exception as error:  # a crash is an answer the table lacks
            return f"500 {type(error).__name__}: {error}"[:200]
        finally:
            transaction.set_rollback(True)


# ---------------------------------------------------------------- the tests


def test_every_url_has_a_row_and_every_row_a_url():
    keys = {key for key, _, _ in url_patterns()}

    assert sorted(keys - EXPECTED.keys()) == [], "URLs without a row in the matrix"
    assert sorted(EXPECTED.keys() - keys) == [], "rows of URLs that are gone"


@pytest.mark.django_db
def test_each_url_answers_each_role_as_the_matrix_says(world, settings):
    # Queued work goes to the database queue, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    started = time.monotonic()
    by_role = clients(world.own)
    mismatches, asked = [], 0
    for key, pattern, route in sorted(url_patterns(), key=lambda p: p[0]):
        row = EXPECTED[key]
        cases = [("own", world.own, row.own)]
        if row.params and row.other != {}:
            cases.append(("other", world.other, row.expected_elsewhere()))
        for where, school, expected in cases:
            url = url_for(key, pattern, route, row, school)
            data = {k: resolve_value(v, school) for k, v in row.data.items()}
            for role in ROLES:
                got = ask(by_role[role], row.method, url, data)
                asked += 1
                if got != expected[role]:
                    mismatches.append(
                        f"{row.method.upper()} {url} ({key}, {where}) as {role}: "
                        f"expected {expected[role]}, got {got}"
                    )
    print(f"matrix: {asked} requests in {time.monotonic() - started:.1f} s")
    assert mismatches == [], "\n".join(mismatches)


# ---------------------------------------------------------------- downloads

# What each role may download of its own school; the others are refused
# (login, 403 or 404). A participant gets only what is about them: the mentee
# her consent's scan, the mentor his certificate's.
PAIR = {"mentee", "mentor"}
OFFICE = {"curator", "director", "methodologist", "superuser"}
SCHOOL_STAFF = {*STAFF, "superuser"}
BACK_OFFICE = set(ADMIN_STAFF)
DISTRICT = {"methodologist", "superuser"}


def _file(name):
    return lambda school: reverse("private-file", args=[school.files[name]])


def _page(name, key):
    return lambda school: reverse(name, args=[school.ids[key]])


def _plain(name):
    return lambda school: reverse(name)


DOWNLOADS = {
    "consent scan": (_file("consent scan"), {"mentee", *OFFICE}),
    "certificate of no criminal record": (_file("document scan"), {"mentor", *OFFICE}),
    # Served only through the order's page, which checks who asks.
    "signed order, as a file": (_file("signed order"), set()),
    # The whole order is the staff's; the pair gets an extract about itself.
    "signed order": (_page("mentoring:order-pdf", "signed_order"), SCHOOL_STAFF),
    "extract of the signed order": (
        _page("mentoring:order-extract", "signed_order"),
        PAIR,
    ),
    "order on signature": (_page("mentoring:order-pdf", "order"), SCHOOL_STAFF),
    "program of the pair": (
        _page("mentoring:program-pdf", "program"),
        PAIR | SCHOOL_STAFF,
    ),
    "prefilled consent form": (_page("mentoring:consent-form", "person"), OFFICE),
    "prefilled transfer consent form": (
        _page("mentoring:consent-form-transfer", "person"),
        OFFICE,
    ),
    "person's data on request (ZIP)": (
        _page("mentoring:person-data-export", "person"),
        {"curator", "director", "superuser"},
    ),
    # Issue 14, the information base.
    "mentor's portfolio": (
        _page("mentoring:mentor-portfolio", "mentor"),
        {"mentor", "curator", "director", "superuser"},
    ),
    # Served only through the batch's page, which checks who asks.
    "batch of documents, as a file": (_file("document batch"), set()),
    "batch of documents (ZIP)": (
        _page("mentoring:document-batch-zip", "document_batch"),
        {"curator", "director", "superuser"},
    ),
    "act of destruction": (
        _page("mentoring:destruction-act-pdf", "destruction_act"),
        OFFICE,
    ),
    "roadmap, PDF": (_page("roadmap:pdf", "roadmap"), SCHOOL_STAFF),
    "roadmap, XLSX": (_page("roadmap:xlsx", "roadmap"), SCHOOL_STAFF),
    "monitoring, XLSX": (_plain("surveys:monitoring-xlsx"), SCHOOL_STAFF),
    "monitoring, PDF": (_plain("surveys:monitoring-pdf"), SCHOOL_STAFF),
    "calendar of meetings (.ics)": (
        _plain("surveys:calendar"),
        {*ROLES} - {"anonymous", "regional"},
    ),
    "region's districts, XLSX": (
        _plain("regions:districts-xlsx"),
        {"regional", "superuser"},
    ),
    # The district event's attendance sheet names mentors of every school.
    "attendance sheet, PDF": (_page("events:sheet-pdf", "event"), DISTRICT),
    "attendance sheet, XLSX": (_page("events:sheet-xlsx", "event"), DISTRICT),
    "people, XLSX": (_plain("admin:mentoring_person_export"), BACK_OFFICE),
    "consents, XLSX": (_plain("admin:mentoring_consent_export"), BACK_OFFICE),
    "import template": (
        lambda school: reverse(
            "admin:mentoring_person_import_template", args=["staff"]
        ),
        {"curator", "superuser"},
    ),
}


@pytest.mark.django_db
def test_each_role_downloads_only_what_its_work_needs(world):
    by_role = clients(world.own)
    got = {}
    for what, (url_of, _) in DOWNLOADS.items():
        url = url_of(world.own)
        got[what] = set()
        for role in ROLES:
            response = by_role[role].get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            if response.status_code == 200:
                assert "attachment" in response.get(
                    "Content-Disposition", ""
                ) or not response["Content-Type"].startswith("text/html"), (what, role)
                got[what].add(role)
            else:
                # MOVED: the superuser asking for an extract is sent to the
                # documents page (an extract is of someone's own pair).
                assert answer_of(response) in (LOGIN, 403, 404, MOVED), (what, role)

    assert got == {what: roles for what, (_, roles) in DOWNLOADS.items()}


# ---------------------------------------------------------------- lookups


def autocomplete_fields():
    """(model label, field name) of every autocomplete field of the admin,
    inlines included."""
    for model, model_admin in admin.site._registry.items():
        for owner, fields in [
            (model, model_admin.autocomplete_fields),
            *((i.model, i.autocomplete_fields) for i in model_admin.inlines),
        ]:
            for name in fields:
                yield owner._meta.label_lower, name


@pytest.mark.django_db
def test_autocomplete_offers_only_ones_own(world):
    by_role = clients(world.own)
    problems = []
    for label, name in sorted(set(autocomplete_fields())):
        app_label, model_name = label.split(".")
        remote = apps.get_model(label)._meta.get_field(name).remote_field.model
        foreign = {
            str(pk)
            for pk in remote._default_manager.filter(
                organization=world.other.organization
            ).values_list("pk", flat=True)
        }
        assert foreign, (label, name)
        url = (
            f"{reverse('admin:autocomplete')}?app_label={app_label}"
            f"&model_name={model_name}&field_name={name}&term="
        )
        for role in ROLES:
            response = by_role[role].get(url)
            expected = OK if role in ADMIN_STAFF else LOGIN
            if answer_of(response) != expected:
                problems.append(f"{label}.{name} as {role}: {answer_of(response)}")
                continue
            if response.status_code == 200:
                offered = {r["id"] for r in response.json()["results"]}
                if not offered:
                    problems.append(f"{label}.{name} as {role}: nothing offered")
                if role != "superuser" and offered & foreign:
                    problems.append(
                        f"{label}.{name} as {role}: offers another school's"
                    )

    assert problems == [], "\n".join(problems)
