"""The ledger's pages: reversing an entry, the branch's published ledgers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.kit.answers import form_answer, form_saved, frozen_refusal
from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page as _form_page
from kaoping.kit.answers import next_url as _next_url
from kaoping.kit.confirm import confirm_page, confirmed
from kaoping.kit.forms import errors_on
from kaoping.ledger.selectors import (
    entry_access_by_code,
    entry_is_reversible,
    entry_reverse_consequences,
    ledger_publications,
)
from kaoping.ledger.services import entry_reverse, ledger_publish
from kaoping.orgs.selectors import (
    organization_access_by_code,
    scope_for,
)
from kaoping.schemes.selectors import frozen_notice

from ..forms import (
    LedgerPublishForm,
    ReverseForm,
)


@login_required
@require_http_methods(["GET", "POST"])
def entry_reverse_view(request, code: str):
    actor = request.user
    entry = entry_access_by_code(actor=actor, code=code, manage=True)
    back = _next_url(
        request, f"{reverse('web:branch', args=[entry.member.branch.code])}?year={entry.year}"
    )
    notice = frozen_notice(year=entry.year, branch=entry.member.branch)
    if notice is not None:
        return frozen_refusal(request, notice, back)
    form = ReverseForm(request.POST or None)

    def cancel(d):
        entry_reverse(actor=actor, entry=entry, reason=d["reason"])
        return back, _("已冲销记录 %(code)s。") % {"code": entry.code}

    action = reverse("web:entry_reverse", args=[entry.code])
    asks = request.method == "POST" and not confirmed(request)
    if asks and form.is_valid() and entry_is_reversible(entry=entry):
        return confirm_page(
            request,
            title=_("确认冲销记录 %(code)s") % {"code": entry.code},
            consequences=entry_reverse_consequences(entry=entry),
            submit=_("确认冲销"),
            back=back,
            action=action,
        )
    if answer := form_saved(request, form, cancel):
        return answer
    return _form_page(
        request,
        ask=True,
        title=_("冲销记录 %(code)s") % {"code": entry.code},
        form=form,
        action=action,
        back=back,
        submit=_("冲销"),
        entry=entry,
        intro=_("台账只增不改：冲销会新增一条记录抵消原记录，原记录保留。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_publications_page(request, code: str):
    """The branch's published ledger periods (公示); officers publish a new period."""
    branch = organization_access_by_code(actor=request.user, code=code)
    if not branch.is_branch:
        raise Http404
    publications = ledger_publications(actor=request.user, branch=branch)
    can_publish = scope_for(request.user).manages(branch.path)
    form = LedgerPublishForm(request.POST or None)
    action = reverse("web:ledger_publications", args=[branch.code])
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        if form.is_valid():
            with errors_on(form):
                ledger_publish(actor=request.user, branch=branch, **form.cleaned_data)
                return _done(request, action, _("台账已公示"))
    return form_answer(
        request,
        {
            "branch": branch,
            "publications": publications,
            "form": form,
            "can_publish": can_publish,
            "action": action,
            "back": action,
            "title": _("公示一个时段的台账"),
            "submit": _("公示"),
        },
        page="web/ledger_publications.html",
    )


@login_required
@require_GET
def ledger_publication_detail(request, code: str, pk: int):
    from kaoping.ledger.selectors import ledger_publication_access_by_id, published_entries

    branch = organization_access_by_code(actor=request.user, code=code)
    publication = ledger_publication_access_by_id(actor=request.user, branch=branch, pk=pk)
    return render(
        request,
        "web/ledger_publication.html",
        {
            "branch": branch,
            "publication": publication,
            "entries": published_entries(publication=publication),
        },
    )
