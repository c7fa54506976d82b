from django.urls import path

from civic.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("backlog/", views.backlog_page, name="backlog"),
    path("<str:reference>/", views.case_page, name="case"),
    path("<str:reference>/documents/<int:upload_id>/", views.document, name="document"),
    path(
        "<str:reference>/answers/<int:document_id>/",
        views.answer_document,
        name="answer-document",
    ),
]
