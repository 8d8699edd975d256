from django.urls import path

from . import exports, views

app_name = "claims"
urlpatterns = [
    path("me/claims/", views.my_claims, name="mine"),
    path("branches/<str:code>/claims/", views.branch_claims, name="branch"),
    path("branches/<str:code>/claims.xlsx", exports.branch_claims_xlsx, name="xlsx"),
    path("claims/<str:code>/", views.claim_detail, name="detail"),
    path("claims/<str:code>/proof/", views.claim_proof, name="proof"),
]
