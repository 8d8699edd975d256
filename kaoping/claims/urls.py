from django.urls import path

from . import exports, views

app_name = "claims"
urlpatterns = [
    path("me/claims/", views.my_claims, name="mine"),
    path("branches/<code:code>/claims/", views.branch_claims, name="branch"),
    path("branches/<code:code>/claims.xlsx", exports.branch_claims_xlsx, name="xlsx"),
    path("claims/<code:code>/", views.claim_detail, name="detail"),
    path("claims/<code:code>/proof/", views.claim_proof, name="proof"),
]
