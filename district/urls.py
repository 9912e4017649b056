from django.urls import path

from . import views

app_name = "district"

urlpatterns = [
    path("<int:pk>/", views.organizations, name="organizations"),
    path("<int:pk>/xlsx/", views.organizations_xlsx, name="organizations-xlsx"),
    path("<int:pk>/pdf/", views.organizations_pdf, name="organizations-pdf"),
]
