from django.urls import path

from civic.portal import inbox, views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/correct/", views.correction, name="correction"),
    path("data-use/", views.data_use, name="data-use"),
    path("representation/", views.representation, name="representation"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/preferences/", inbox.preferences, name="inbox-preferences"),
    path("inbox/<int:message_id>/", inbox.message, name="inbox-message"),
    path("inbox/<int:message_id>/attachment/", inbox.attachment, name="inbox-attachment"),
]
