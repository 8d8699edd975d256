from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path(
        "members/<code:code>/documents/<year:year>/registration-form.docx",
        views.registration_form,
        name="registration_form",
    ),
]
