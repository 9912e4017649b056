from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("my/", views.dashboard, name="dashboard"),
    path("my/pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("my/pairs/<int:pk>/meetings/new/", views.meeting_new, name="meeting-new"),
    path("my/meetings/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("my/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("my/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("my/questionnaires/<int:pk>/", views.answer, name="answer"),
    path("my/meetings.ics", views.calendar, name="calendar"),
    path("surveys/feedback-owed/", views.feedback_owed, name="feedback-owed"),
    path("surveys/monitoring/", views.monitoring_page, name="monitoring"),
    path("surveys/monitoring.xlsx", views.monitoring_xlsx, name="monitoring-xlsx"),
    path("surveys/monitoring.pdf", views.monitoring_pdf, name="monitoring-pdf"),
]
