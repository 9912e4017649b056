from django.urls import path

from . import views
from .views import matching
from .views import support as support_views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("support/", support_views.support, name="support"),
    path("matching/", matching.matching_home, name="matching"),
    path("matching/<int:pk>/", matching.matching_run, name="matching-run"),
    path(
        "matching/<int:pk>/suggestions/<int:sid>/decide/",
        matching.matching_decide,
        name="matching-decide",
    ),
    path(
        "matching/<int:pk>/suggestions/<int:sid>/swap/",
        matching.matching_swap,
        name="matching-swap",
    ),
    path(
        "matching/<int:pk>/accept-all/",
        matching.matching_accept_all,
        name="matching-accept-all",
    ),
    path("matching/<int:pk>/rerun/", matching.matching_rerun, name="matching-rerun"),
    path("matching/<int:pk>/order/", matching.matching_order, name="matching-order"),
    path(
        "matching/<int:pk>/create-pairs/",
        matching.matching_create_pairs,
        name="matching-create-pairs",
    ),
]

from .views import orders as order_views  # noqa: E402
from .views import verification as verification_views  # noqa: E402

urlpatterns += [
    path("orders/", order_views.orders, name="orders"),
    path("orders/<int:pk>/sign/", order_views.order_sign, name="order-sign"),
    path("orders/<int:pk>/return/", order_views.order_return, name="order-return"),
    path(
        "orders/<int:pk>/paper/",
        order_views.order_signed_on_paper,
        name="order-signed-on-paper",
    ),
    path("orders/<int:pk>/pdf/", order_views.order_pdf, name="order-pdf"),
    path("orders/<int:pk>/extract/", order_views.order_extract, name="order-extract"),
    # Public: the QR code on a signed order leads here (no login).
    path("verify/<str:code>/", verification_views.order_verify, name="order-verify"),
    path("programs/<int:pk>/pdf/", order_views.program_pdf, name="program-pdf"),
    path(
        "persons/<int:pk>/consent-form/",
        order_views.consent_form_pdf,
        name="consent-form",
    ),
    path(
        "persons/<int:pk>/consent-form/transfer/",
        order_views.consent_form_pdf,
        {"purpose": "transfer"},
        name="consent-form-transfer",
    ),
    path("my/documents/", order_views.my_documents, name="my-documents"),
]

from .views import consents as consent_views  # noqa: E402

urlpatterns += [
    path(
        "consents/destruction/",
        consent_views.consent_destruction,
        name="consent-destruction",
    ),
    path(
        "consents/destruction/acts/<int:pk>/pdf/",
        consent_views.destruction_act_pdf,
        name="destruction-act-pdf",
    ),
    path(
        "persons/<int:pk>/data-export/",
        consent_views.person_data_export,
        name="person-data-export",
    ),
]

from .views import invitations as invitation_views  # noqa: E402

urlpatterns += [
    path("invite/", invitation_views.invitation_code, name="invitation-code"),
    path(
        "invite/password/",
        invitation_views.invitation_password,
        name="invitation-password",
    ),
    path("invite/<str:code>/", invitation_views.invitation, name="invitation"),
]

from .views import agreements as agreement_views  # noqa: E402

urlpatterns += [
    path("agreements/", agreement_views.agreements, name="agreements"),
    path(
        "pairs/<int:pk>/agreement/<int:mentor_pk>/",
        agreement_views.agreement,
        name="agreement",
    ),
    path(
        "pairs/<int:pk>/agreement/<int:mentor_pk>/pdf/",
        agreement_views.agreement_pdf,
        name="agreement-pdf",
    ),
]

# Issue 14, the information base: a mentor's portfolio for аттестация.
from .views import portfolio as portfolio_views  # noqa: E402

urlpatterns += [
    path(
        "persons/<int:pk>/portfolio/",
        portfolio_views.mentor_portfolio,
        name="mentor-portfolio",
    ),
]

from .views import batches as batch_views  # noqa: E402

urlpatterns += [
    path("documents/batches/", batch_views.document_batches, name="document-batches"),
    path(
        "documents/batches/programs/",
        batch_views.document_batch_programs,
        name="document-batch-programs",
    ),
    path(
        "documents/batches/<int:pk>/",
        batch_views.document_batch,
        name="document-batch",
    ),
    path(
        "documents/batches/<int:pk>/zip/",
        batch_views.document_batch_zip,
        name="document-batch-zip",
    ),
]
