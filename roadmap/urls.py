from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("", views.roadmap_list, name="list"),
    path("new/", views.roadmap_create, name="create"),
    path("<int:pk>/", views.roadmap_detail, name="detail"),
    path("<int:pk>/pdf/", views.roadmap_pdf, name="pdf"),
    path("<int:pk>/xlsx/", views.roadmap_xlsx, name="xlsx"),
    path("<int:pk>/print/", views.roadmap_print, name="print"),
    path("activity/<int:pk>/status/", views.activity_status, name="activity-status"),
]
