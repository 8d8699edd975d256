from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with ``kaoping create-api-token`` (the raw key is shown only
    there); the admin lists them and revokes them."""

    # what the list shows, and what a token's page shows (read only: a token is not edited)
    list_display = (
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "read_only",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = list_display
    exclude = ("key_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="吊销所选令牌 (revoke)")
    def revoke(self, request, queryset):
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                api_token_revoke(actor=request.user, token=token)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{token.prefix}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} token(s) revoked")
