"""The assessment schemes' pages: the list, one scheme's settings and items."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import form_page as _form_page
from kaoping.kit.answers import form_saved
from kaoping.orgs.selectors import (
    scope_for,
    staff_required,
)
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import (
    scheme_chosen,
    scheme_chosen_or_404,
    scheme_items,
    scheme_years,
)
from kaoping.schemes.services import (
    scheme_create,
    scheme_item_add,
    scheme_item_upsert,
    scheme_update,
)

from .. import selectors
from ..forms import (
    SchemeCreateForm,
    SchemeItemForm,
    SchemeSettingsForm,
)


def _schemes_page(request, *, create_form=None):
    actor = request.user
    staff_required(actor=actor)
    years = scheme_years()
    is_admin = scope_for(actor).is_scheme_admin
    if is_admin and create_form is None:
        next_year = (years[0] + 1) if years else None
        create_form = SchemeCreateForm(years=years, initial={"year": next_year})
    context = {
        "schemes": selectors.schemes_list(),
        "years": years,
        "is_admin": is_admin,
        "create_form": create_form if is_admin else None,
    }
    return render(request, "web/schemes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schemes(request):
    if request.method == "GET":
        return _schemes_page(request)
    actor = request.user
    staff_required(actor=actor)
    years = scheme_years()
    form = SchemeCreateForm(request.POST, years=years)

    def create(d):
        source = d["source"]
        copy_from = None
        if source.startswith("copy:"):
            copy_from = scheme_chosen(source.removeprefix("copy:"))
        template = source == "template"
        scheme = scheme_create(
            actor=actor, year=d["year"], copy_from=copy_from, with_template_items=template
        )
        return _scheme_url(scheme), _("已创建 %(year)s 年度考评方案。") % {"year": scheme.year}

    return form_saved(request, form, create) or _schemes_page(request, create_form=form)


def _scheme_page(request, scheme: Scheme, *, settings_form=None, item_form=None):
    actor = request.user
    is_admin = scope_for(actor).is_scheme_admin and not scheme.is_final
    if is_admin and settings_form is None:
        settings_form = SchemeSettingsForm(initial=SchemeSettingsForm.initial_for(scheme))
    if is_admin and item_form is None:
        item_form = SchemeItemForm()
    context = {
        "scheme": scheme,
        "years": scheme_years(),
        "items": list(scheme_items(scheme)),
        "is_admin": is_admin,
        "settings_form": settings_form if is_admin else None,
        "item_form": item_form if is_admin else None,
    }
    return render(request, "web/scheme.html", context)


def _scheme_url(scheme: Scheme) -> str:
    return reverse("web:scheme", args=[scheme.year])


def _scheme_for_staff(request, year: int) -> Scheme:
    staff_required(actor=request.user)
    return scheme_chosen_or_404(year)


@login_required
@require_GET
def scheme_detail(request, year: int):
    return _scheme_page(request, _scheme_for_staff(request, year))


@login_required
@require_POST
def scheme_settings(request, year: int):
    scheme = _scheme_for_staff(request, year)
    form = SchemeSettingsForm(request.POST)

    def save(d):
        scheme_update(actor=request.user, scheme=scheme, **form.changes())
        return _scheme_url(scheme), _("已保存 %(year)s 年度方案设置。") % {"year": scheme.year}

    return form_saved(request, form, save) or _scheme_page(request, scheme, settings_form=form)


def _item_save(request, scheme: Scheme, data: dict, code: str):
    fields = {name: value for name, value in data.items() if name != "code"}
    return scheme_item_upsert(actor=request.user, scheme=scheme, code=code, **fields)


@login_required
@require_POST
def scheme_item_create(request, year: int):
    scheme = _scheme_for_staff(request, year)
    form = SchemeItemForm(request.POST)

    def add(d):
        fields = {name: value for name, value in d.items() if name != "code"}
        item = scheme_item_add(actor=request.user, scheme=scheme, code=d["code"].strip(), **fields)
        return _scheme_url(scheme), _("已添加指标 %(code)s。") % {"code": item.code}

    return form_saved(request, form, add) or _scheme_page(request, scheme, item_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_item_edit(request, year: int, code: str):
    scheme = _scheme_for_staff(request, year)
    item = scheme_items(scheme).filter(code=code).first()
    if item is None:
        raise Http404(
            _("%(year)s 年度方案中没有指标 %(item)s。") % {"year": scheme.year, "item": code}
        )
    if not scope_for(request.user).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以修改考评方案。"))
    form = SchemeItemForm(
        request.POST or None, initial=SchemeItemForm.initial_for(item), editing=True
    )

    def save(d):
        _item_save(request, scheme, d, item.code)
        return _scheme_url(scheme), _("已保存指标 %(code)s。") % {"code": item.code}

    if answer := form_saved(request, form, save):
        return answer
    return _form_page(
        request,
        title=_("编辑指标 %(code)s（%(year)s 年度）") % {"code": item.code, "year": scheme.year},
        form=form,
        action=reverse("web:scheme_item", args=[scheme.year, item.code]),
        back=_scheme_url(scheme),
        submit=_("保存"),
        intro=_("已录入的记录保留录入时的分值，修改只对之后的记录生效。"),
    )
