from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
]

from .views import orders as order_views  # noqa: E402

urlpatterns += [
    path("orders/", order_views.orders, name="orders"),
    path("orders/<int:pk>/sign/", order_views.order_sign, name="order-sign"),
    path("orders/<int:pk>/return/", order_views.order_return, name="order-return"),
    path("orders/<int:pk>/pdf/", order_views.order_pdf, name="order-pdf"),
    path("programs/<int:pk>/pdf/", order_views.program_pdf, name="program-pdf"),
    path(
        "persons/<int:pk>/consent-form/",
        order_views.consent_form_pdf,
        name="consent-form",
    ),
    path("my/documents/", order_views.my_documents, name="my-documents"),
]
