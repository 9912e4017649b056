from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.districts, name="districts"),
    path("districts.xlsx", views.districts_xlsx, name="districts-xlsx"),
]
