from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_submit, name="submit"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/decide/", views.review_decide, name="decide"),
]
