"""Planning pages: the drafts, one draft with its simulation beside the current scheme."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page_again, form_saved
from kaoping.kit.forms import errors_on, flash_service_error
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.forms import SchemeSettingsForm
from kaoping.schemes.selectors import schemes_all

from . import selectors, services
from .forms import DraftCreateForm, DraftItemsForm


def _planner_required(actor) -> None:
    if not selectors.may_plan(actor=actor):
        raise Http404(_("找不到这个页面。"))


def _create_form(actor, data=None) -> DraftCreateForm:
    schemes = schemes_all()
    newest = schemes.first()
    return DraftCreateForm(
        data,
        schemes=schemes,
        branches=selectors.branches_for_drafting(actor=actor),
        whole_organisation=scope_for(actor).is_scheme_admin,
        initial={"base": newest, "year": newest.year + 1} if newest else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def drafts(request):
    actor = request.user
    _planner_required(actor)
    form = _create_form(actor, request.POST or None)

    def create(d):
        draft = services.draft_create(actor=actor, **d)
        created = _("已创建草案“%(title)s”。") % {"title": draft.title}
        return reverse("planning:draft", args=[draft.pk]), created

    if answer := form_saved(request, form, create):
        return answer
    context = {
        "drafts": list(selectors.drafts_visible(actor=actor)),
        "form": form,
        "has_schemes": schemes_all().exists(),
    }
    return form_page_again(request, "planning/drafts.html", context)


def _draft_page(request, draft, *, settings_form=None, items_form=None, status=200):
    actor = request.user
    if settings_form is None:
        settings_form = SchemeSettingsForm(initial=SchemeSettingsForm.initial_for(draft))
    if items_form is None:
        items_form = DraftItemsForm(items=draft.items.all())
    context = {
        "draft": draft,
        "base": draft.base,
        "settings_form": settings_form,
        "items_form": items_form,
        "simulation": selectors.draft_simulation(actor=actor, draft=draft),
        "may_adopt": scope_for(actor).is_scheme_admin,
    }
    return render(request, "planning/draft.html", context, status=status)


@login_required
@require_GET
def draft_detail(request, pk: int):
    return _draft_page(request, selectors.draft_access_by_id(actor=request.user, id=pk))


@login_required
@require_POST
def draft_settings(request, pk: int):
    draft = selectors.draft_access_by_id(actor=request.user, id=pk)
    form = SchemeSettingsForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            services.draft_update(actor=request.user, draft=draft, **form.changes())
            return _done(request, reverse("planning:draft", args=[pk]), _("已保存草案设置。"))
    return _draft_page(request, draft, settings_form=form, status=400)


@login_required
@require_POST
def draft_items(request, pk: int):
    draft = selectors.draft_access_by_id(actor=request.user, id=pk)
    form = DraftItemsForm(request.POST, items=draft.items.all())
    if form.is_valid():
        with errors_on(form):
            services.draft_items_set(actor=request.user, draft=draft, points=form.points())
            return _done(request, reverse("planning:draft", args=[pk]), _("已保存指标分值。"))
    return _draft_page(request, draft, items_form=form, status=400)


@login_required
@require_POST
def draft_adopt(request, pk: int):
    draft = selectors.draft_access_by_id(actor=request.user, id=pk, adopt=True)
    try:
        scheme = services.draft_adopt(actor=request.user, draft=draft)
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect("planning:draft", pk=pk)
    return _done(
        request,
        reverse("web:scheme", args=[scheme.year]),
        _("已采用草案，%(year)s 年度考评方案已更新。") % {"year": scheme.year},
    )
