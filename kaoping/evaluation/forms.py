from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import CheckboxColumns, DateInput
from kaoping.orgs.models import Member

from .models import EvaluationRound


class RoundOpenForm(forms.Form):
    vote_method = forms.ChoiceField(label=_("测评方式"), choices=EvaluationRound.VoteMethod.choices)
    anonymous_peer = forms.BooleanField(label=_("互评不署名"), required=False)
    self_deadline = forms.DateField(label=_("自评截止日期"), required=False, widget=DateInput())
    peer_deadline = forms.DateField(label=_("互评截止日期"), required=False, widget=DateInput())
    secretary_deadline = forms.DateField(
        label=_("点评截止日期"), required=False, widget=DateInput()
    )
    vote_deadline = forms.DateField(label=_("测评截止日期"), required=False, widget=DateInput())


def initial_of(form_class: type[forms.Form], row: Any) -> dict[str, Any]:
    """The form's fields as the stored ``row`` (a self-evaluation, a comment) has them;
    empty before there is one."""
    return {name: getattr(row, name) for name in form_class.base_fields} if row else {}


class SelfEvaluationForm(forms.Form):
    problems = forms.CharField(label=_("查找的问题"), required=False, widget=forms.Textarea)
    causes = forms.CharField(label=_("原因分析"), required=False, widget=forms.Textarea)
    measures = forms.CharField(label=_("整改措施"), required=False, widget=forms.Textarea)


class PeerCommentForm(forms.Form):
    strengths = forms.CharField(label=_("优点"), required=False, widget=forms.Textarea)
    shortcomings = forms.CharField(label=_("不足"), required=False, widget=forms.Textarea)
    suggestions = forms.CharField(label=_("建议"), required=False, widget=forms.Textarea)


class SecretaryCommentForm(forms.Form):
    comment = forms.CharField(label=_("点评意见"), widget=forms.Textarea)
    requirements = forms.CharField(label=_("整改要求"), required=False, widget=forms.Textarea)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("投票码"), max_length=40)


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("回执"), max_length=100)


class PaperCodesForm(forms.Form):
    members: "forms.ModelMultipleChoiceField[Member]" = forms.ModelMultipleChoiceField(
        label=_("到会领取投票码的党员"), queryset=None, widget=CheckboxColumns
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class PaperTallyForm(forms.Form):
    """Counts per member and option, entered from the paper ballots."""

    def __init__(self, *args, members, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.options = list(options)
        for member in self.members:
            for option in self.options:
                self.fields[f"{member.code}__{option}"] = forms.IntegerField(
                    label=f"{member.name} · {option}", min_value=0, initial=0
                )

    def rows(self):
        return [(m, [self[f"{m.code}__{o}"] for o in self.options]) for m in self.members]

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            m.code: {o: self.cleaned_data[f"{m.code}__{o}"] for o in self.options}
            for m in self.members
        }


class ScrutineersForm(forms.Form):
    """The scrutineers (监票人) named when the online vote starts (or is re-run)."""

    scrutineers: "forms.ModelMultipleChoiceField[Member]" = forms.ModelMultipleChoiceField(
        label=_("监票人（2 至 3 名到会党员）"), queryset=None, widget=CheckboxColumns
    )

    def __init__(self, *args, members, reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[Member]", self.fields["scrutineers"])
        field.queryset = members
        if reason:
            self.fields["reason"] = forms.CharField(
                label=_("原因"), max_length=500, widget=forms.Textarea
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea)


class CountForm(forms.Form):
    """The scrutineers' shares, typed in one after another on one screen."""

    def __init__(self, *args, scrutineers, **kwargs):
        super().__init__(*args, **kwargs)
        for s in scrutineers:
            self.fields[f"share_{s.position}"] = forms.CharField(
                label=_("%(name)s 的份额（第 %(p)s 号）")
                % {"name": s.member.name, "p": s.position},
                max_length=80,
                required=False,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            )

    def shares(self) -> list[str]:
        return [v for k, v in self.cleaned_data.items() if k.startswith("share_") and v]
