from django.urls import path

from civic.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:document_id>/", views.document_page, name="document"),
    path("<int:document_id>/route/", views.route, name="route"),
    path("<int:document_id>/pages/<int:number>.png", views.page_image, name="page"),
    path("<int:document_id>/original", views.original, name="original"),
    path("<int:document_id>/redacted.pdf", views.redacted, name="redacted"),
]
