from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("me/claims/", views.my_claims, name="mine"),
    path("branches/<str:code>/claims/", views.branch_claims, name="branch"),
    path("claims/<str:code>/", views.claim_detail, name="detail"),
    path("claims/<str:code>/proof/", views.claim_proof, name="proof"),
]
