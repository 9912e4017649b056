from django.urls import path

from . import views
from .views import matching

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
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
    path(
        "matching/<int:pk>/create-pairs/",
        matching.matching_create_pairs,
        name="matching-create-pairs",
    ),
]
