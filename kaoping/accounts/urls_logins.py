from django.urls import path

from . import views_logins as views

urlpatterns = [
    path("accounts/", views.accounts_index, name="index"),
    path("accounts/<code:code>/", views.accounts_branch, name="branch"),
    path("accounts/<code:code>/issue/", views.accounts_issue, name="issue"),
    path("accounts/batches/<id:pk>/", views.accounts_batch, name="batch"),
    path("accounts/batches/<id:pk>/slips.pdf", views.accounts_slips_pdf, name="slips_pdf"),
    path("accounts/batches/<id:pk>/slips.xlsx", views.accounts_slips_xlsx, name="slips_xlsx"),
]
