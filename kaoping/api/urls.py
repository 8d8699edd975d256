from django.urls import path

from . import token_views

app_name = "api_tokens"
urlpatterns = [
    path("account/tokens/", token_views.tokens, name="tokens"),
    path("account/tokens/<id:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
