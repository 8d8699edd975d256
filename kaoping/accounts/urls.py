from django.urls import include, path

app_name = "accounts"

# One module per concept: the organisation's accounts (/accounts/), a user's own account
# (/account/, passwords, reset codes) and roles.
urlpatterns = [
    path("", include("kaoping.accounts.urls_logins")),
    path("", include("kaoping.accounts.urls_self")),
    path("", include("kaoping.accounts.urls_roles")),
]
