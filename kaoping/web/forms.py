"""Forms of the web pages. They check input and show messages next to fields; every
decision about who may do what stays in the services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaoping.kit.decimals import points_text
from kaoping.kit.forms import CheckboxColumns, DateInput, PickerField
from kaoping.kit.text import CODE_MAX, NAME_MAX, TITLE_MAX
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.forms import (  # noqa: F401 (the pages' forms, shared with planning)
    BALLOT_LABELS,
    GROUP_LABELS,
    PERCENT_FIELDS,
    SchemeSettingsForm,
    item_picker,
    plain_decimal,
)
from kaoping.schemes.models import BALLOT_OPTION_NAMES, Scheme, SchemeItem

from .selectors import two_factor_device


class EntryForm(forms.Form):
    member = PickerField(label=_("党员"), queryset=Member.objects.none())
    item = item_picker(label=_("考评指标"))
    date = forms.DateField(label=_("日期"), widget=DateInput())
    occurrences = forms.IntegerField(
        label=_("次数"),
        initial=1,
        min_value=1,
        error_messages={"min_value": _("次数至少为 1。")},
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("佐证材料"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members, items, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["member"].queryset = members
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.code} {i.name}（{points_text(i.points, i.kind)}）"
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date.year != self.scheme.year:
            raise ValidationError(
                _("日期不在 %(year)s 年度内。"), code="year", params={"year": self.scheme.year}
            )
        return date


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("冲销理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("冲销必须填写理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("冲销必须填写理由。"), code="required")
        return reason


class TallyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for option in BALLOT_OPTION_NAMES:
            self.fields[option] = forms.IntegerField(
                label=BALLOT_LABELS[option],
                min_value=0,
                initial=0,
                error_messages={"min_value": _("票数不能为负数。")},
            )

    def counts(self) -> dict[str, int]:
        return {o: self.cleaned_data[o] for o in BALLOT_OPTION_NAMES}


class DecisionForm(forms.Form):
    excellent = forms.TypedChoiceField(
        label=_("认定结果"),
        choices=[("yes", _("占用优秀名额")), ("no", _("不占用优秀名额"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("认定理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("组织认定必须填写理由。")},
    )


class MemberForm(forms.Form):
    code = forms.CharField(label=_("编号"), max_length=CODE_MAX)
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX)
    status = forms.ChoiceField(
        label=_("状态"), choices=Member.Status.choices, initial=Member.Status.ACTIVE
    )
    membership = forms.ChoiceField(
        label=_("党员类别"), choices=Member.Membership.choices, initial=Member.Membership.FULL
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["code"].disabled = True
            # A status change needs its record (investigation, lost contact, transfer),
            # so it is made on the member's archive page, never typed here.
            self.fields["status"].disabled = True
            self.fields["status"].help_text = _("状态在党员台账页通过调查、失联或转接记录变更。")

    def clean_code(self):
        return self.cleaned_data["code"].strip()  # a taken code: the service refuses it


class OrganizationForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=CODE_MAX)
    name = forms.CharField(label=_("名称"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("类型"), choices=Organization.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级组织"), queryset=Organization.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("支部类别"),
        choices=Organization.Category.choices,
        initial=Organization.Category.IN_SERVICE,
    )

    def __init__(self, *args, parents, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda o: f"{o.code} {o.name}"
        if editing:
            self.fields["code"].disabled = True

    def clean_code(self):
        return self.cleaned_data["code"].strip()  # a taken code: the service refuses it

    def clean(self):
        data = super().clean()
        kind, parent = data.get("kind"), data.get("parent")
        if kind and kind != Organization.Kind.COMMITTEE and parent is None:
            self.add_error("parent", _("除机关工委外，每个组织都要有上级组织。"))
        return data


class SchemeCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("来源"))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"copy:{y}", _("复制 %(year)s 年度方案") % {"year": y}) for y in years]
        choices += [("template", _("使用方案模板")), ("empty", _("空白方案（无指标）"))]
        self.fields["source"].choices = choices


class SchemeItemForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=CODE_MAX)
    kind = forms.ChoiceField(label=_("类型"), choices=SchemeItem.Kind.choices)
    group = forms.ChoiceField(label=_("分组"), required=False)
    name = forms.CharField(label=_("名称"), max_length=TITLE_MAX)
    points = forms.DecimalField(label=_("每次分值"), min_value=0, decimal_places=4)
    disqualifies = forms.BooleanField(label=_("取消当年评优资格"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("适用支部类别（不选即全部适用）"),
        choices=Organization.Category.choices,
        required=False,
        widget=CheckboxColumns,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *GROUP_LABELS.items()]
        for extra in (self.initial.get("group"), self.data.get("group")):
            if extra and extra not in GROUP_LABELS:  # a group of the organisation's own
                choices.append((extra, extra))
        self.fields["group"].choices = choices
        if editing:
            self.fields["code"].disabled = True

    @staticmethod
    def initial_for(item: SchemeItem) -> dict:
        return {
            "code": item.code,
            "kind": item.kind,
            "group": item.group,
            "name": item.name,
            "points": plain_decimal(item.points),
            "disqualifies": item.disqualifies,
            "categories": item.categories,
        }


class LedgerPublishForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class LoginForm(AuthenticationForm):
    """Username and password, and the authenticator's token for a user who has enabled
    two-factor login (两步验证). A wrong token counts as a failed login for the lockout."""

    otp_token = forms.CharField(
        label=_("动态口令"),
        required=False,
        max_length=8,
        help_text=_("已启用两步验证的用户须填写验证器上显示的6位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        self.otp_device = None
        user = self.get_user()
        device = two_factor_device(user) if user is not None else None
        if device is None:
            return data
        token = (data.get("otp_token") or "").strip()
        if not token.isdigit() or not device.verify_token(token):
            user_login_failed.send(
                sender=__name__,
                credentials={"username": data.get("username")},
                request=self.request,
            )
            raise ValidationError(
                _("请输入验证器上显示的动态口令（口令不正确或已过期）。"), code="otp_token"
            )
        self.otp_device = device
        return data


class TokenForm(forms.Form):
    """A token from the authenticator app (enrolment, session check, switching off)."""

    token = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
