from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.organization_report, name="organization"),
    path("<int:pk>/report.xlsx", views.organization_xlsx, name="organization-xlsx"),
    path("<int:pk>/report.pdf", views.organization_pdf, name="organization-pdf"),
    path("<int:pk>/send/", views.send, name="send"),
    path("sent/<int:pk>/report.pdf", views.submission_pdf, name="submission-pdf"),
    path("sent/<int:pk>/accept/", views.accept, name="accept"),
    path("district/", views.district, name="district"),
    path("district/report.xlsx", views.district_xlsx, name="district-xlsx"),
    path("district/report.pdf", views.district_pdf, name="district-pdf"),
]
