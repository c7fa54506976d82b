from django.urls import path

from civic.portal import advisories, applications, documents, inbox, my_cases, privacy, views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/correct/", views.correction, name="correction"),
    path("data-use/", views.data_use, name="data-use"),
    path("offers/<int:offer_id>/", views.offer, name="offer"),
    path("representation/", views.representation, name="representation"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/preferences/", inbox.preferences, name="inbox-preferences"),
    path("advisories/", advisories.subscription, name="advisories"),
    path("inbox/<int:message_id>/", inbox.message, name="inbox-message"),
    path("inbox/<int:message_id>/attachment/", inbox.attachment, name="inbox-attachment"),
    path("apply/<slug:service_code>/", applications.start, name="apply"),
    path("apply/<slug:service_code>/check/", applications.check, name="apply-check"),
    path("apply/<slug:service_code>/sent/<str:reference>/", applications.sent, name="apply-sent"),
    path("apply/<slug:service_code>/<slug:step>/", applications.step, name="apply-step"),
    path("privacy/", privacy.requests, name="privacy"),
    path("privacy/<str:reference>/", privacy.request_detail, name="privacy-request"),
    path("privacy/<str:reference>/export.json", privacy.export, name="privacy-export"),
    path("documents/", documents.send, name="documents"),
    path("cases/", my_cases.case_list, name="cases"),
    path("cases/<str:reference>/", my_cases.case_detail, name="case"),
]
