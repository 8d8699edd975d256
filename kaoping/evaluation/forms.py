from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvaluationRound


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundOpenForm(forms.Form):
    vote_method = forms.ChoiceField(label=_("测评方式"), choices=EvaluationRound.VoteMethod.choices)
    anonymous_peer = forms.BooleanField(label=_("互评不署名"), required=False)
    self_deadline = forms.DateField(label=_("自评截止日期"), required=False, widget=DateInput())
    peer_deadline = forms.DateField(label=_("互评截止日期"), required=False, widget=DateInput())
    secretary_deadline = forms.DateField(
        label=_("点评截止日期"), required=False, widget=DateInput()
    )
    vote_deadline = forms.DateField(label=_("测评截止日期"), required=False, widget=DateInput())


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
    code = forms.CharField(label=_("回执码"), max_length=40)


class PaperCodesForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("到会领取投票码的党员"), queryset=None, widget=forms.CheckboxSelectMultiple
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
