from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("vision/", views.vision, name="vision"),
    path("district/<int:pk>/", views.district, name="district"),
    path("<int:pk>/", views.organization, name="organization"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("<int:pk>/news/<int:post_pk>/", views.post, name="post"),
]
