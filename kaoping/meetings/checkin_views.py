"""扫码签到 pages: the projector's screen (a code that changes every 30 seconds and a live
count, refreshed by htmx polling) and the page a member's phone opens from the code."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.orgs.selectors import scope_for

from . import selectors, services
from .checkin import LOGIN_GRACE, qr_svg, seconds_left, token_current, token_refusal

GRANT = "kaoping.checkin"  # the session key of the last good scan: {code, token, at}


def _managed_meeting(request, code: str):
    """The meeting for those who keep its branch; the same 404 for everyone else."""
    meeting = selectors.meeting_access_by_code(actor=request.user, code=code)
    if not scope_for(request.user).manages(meeting.branch.path):
        raise Http404(_("找不到会议 %(code)s。") % {"code": code})
    return meeting


def _live_context(request, meeting) -> dict:
    now = timezone.now()
    token = token_current(meeting.code, now)
    url = request.build_absolute_uri(
        reverse("meetings:checkin", args=[meeting.code]) + "?" + urlencode({"t": token})
    )
    timing = selectors.meeting_timing(meeting)
    return {
        "meeting": meeting,
        "status": selectors.checkin_status(actor=request.user, meeting=meeting),
        "timing": timing,
        "window_open": timing.checkin_open_at(now) and not meeting.is_closed,
        "qr": qr_svg(url, label=_("签到二维码")),
        "url": url,
        "seconds_left": seconds_left(now),
    }


@login_required
@require_GET
def checkin_screen(request, code: str):
    """The check-in screen for the projector (secretaries and 支委 of the branch)."""
    meeting = _managed_meeting(request, code)
    return render(request, "meetings/checkin_screen.html", _live_context(request, meeting))


@login_required
@require_GET
def checkin_live(request, code: str):
    """The screen's changing part (the code and the count), polled by htmx."""
    meeting = _managed_meeting(request, code)
    return render(request, "meetings/_checkin_live.html", _live_context(request, meeting))


def _grant_time(request, code: str, token: str) -> datetime.datetime | None:
    """When this browser scanned ``token`` while it was good, if that was recently."""
    grant = request.session.get(GRANT) or {}
    if grant.get("code") != code or grant.get("token") != token:
        return None
    at = datetime.datetime.fromisoformat(grant["at"])
    return at if timezone.now() - at <= LOGIN_GRACE else None


@require_http_methods(["GET", "POST"])
def checkin(request, code: str):
    """The page the code opens. A good code is remembered with the moment of the scan
    (so logging in first does not make it expire); then one tap signs the member in."""
    token = (request.POST.get("t") if request.method == "POST" else request.GET.get("t")) or ""
    now = timezone.now()
    scanned = request.method == "GET" and token_refusal(token, code=code, at=now) is None
    if scanned and _grant_time(request, code, token) is None:
        request.session[GRANT] = {"code": code, "token": token, "at": now.isoformat()}
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    at = _grant_time(request, code, token) or now
    meeting, error, status = None, None, 200
    try:
        meeting, _attendance = services.checkin_check(
            actor=request.user, code=code, token=token, at=at
        )
        if request.method == "POST":
            done = services.checkin_record(actor=request.user, code=code, token=token, at=at)
            request.session.pop(GRANT, None)
            when = {"time": f"{timezone.localtime(done.at):%H:%M:%S}"}
            messages.success(
                request,
                _("签到成功（%(time)s，迟到）。") % when
                if done.late
                else _("签到成功（%(time)s）。") % when,
            )
            return redirect(reverse("meetings:detail", args=[meeting.code]))
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 400
    except PermissionDenied as exc:
        error, status = str(exc), 403
    context = {"meeting": meeting, "token": token, "error": error}
    return render(request, "meetings/checkin.html", context, status=status)
