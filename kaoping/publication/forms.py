from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.decimals import points_text
from kaoping.kit.forms import DateInput, Picker
from kaoping.ledger.models import ScoreEntry
from kaoping.schemes.forms import item_picker


class EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # a deduction takes points away: shown with its sign, never rounded
        return f"{obj.date:%Y-%m-%d} {obj.item.name}（{points_text(obj.points, obj.item.kind)}）"


class AppealForm(forms.Form):
    entry = EntryChoice(
        label=_("申诉的记录"),
        queryset=ScoreEntry.objects.none(),
        required=False,
        empty_label=_("（对等次申诉）"),
        widget=Picker,
    )
    reasons = forms.CharField(label=_("申诉理由"), widget=forms.Textarea)
    evidence = forms.CharField(label=_("佐证材料"), required=False, widget=forms.Textarea)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries


class AnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("答复结论"),
        choices=[("no", _("不成立")), ("yes", _("成立"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("答复意见和理由"), widget=forms.Textarea)
    reverse_entry = forms.BooleanField(label=_("冲销被申诉的记录"), required=False)
    add_item = item_picker(label=_("补录记录的指标"), required=False, empty_label=_("（不补录）"))
    add_occurrences = forms.IntegerField(label=_("补录次数"), min_value=1, initial=1)
    add_date = forms.DateField(label=_("补录日期"), required=False, widget=DateInput())

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add_item"].queryset = items


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新开放的理由"), widget=forms.Textarea)
