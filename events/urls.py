from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/sheet.pdf", views.sheet_pdf, name="sheet-pdf"),
    path("<int:pk>/sheet.xlsx", views.sheet_xlsx, name="sheet-xlsx"),
    path("registration/<int:pk>/remove/", views.unregister, name="unregister"),
]
