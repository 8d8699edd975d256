from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import notifications_for
from .services import notifications_mark_read

PAGE = 100


@login_required
def inbox(request):
    items = list(notifications_for(actor=request.user)[:PAGE])
    return render(request, "notifications/inbox.html", {"items": items})


@require_POST
@login_required
def mark_read(request):
    notifications_mark_read(actor=request.user)
    return redirect("notifications:inbox")
