"""The forms' shared pieces and the one number format (issue 19 items 1 and 3): the number
filters, the searchable picker widget and its grouped options, the shared field template
(required marks, help text, inline errors, the Chinese colon) and no form template that
prints a label of its own with an ASCII colon."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from kaoping.kit.decimals import money_text, points_text, score_text
from kaoping.kit.forms import CheckboxColumns, Picker, PickerField, PickerMultiple
from kaoping.schemes.forms import item_group, item_picker
from kaoping.schemes.models import SchemeItem
from kaoping.web.templatetags.kaoping_web import money, points, score

KAOPING = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("85.45"), "85.5"), (30, "30.0"), (Decimal("30.00"), "30.0"), ("0.5000", "0.5"),
     (Decimal("-1.25"), "-1.3"), (None, "—"), ("", "—")],
)  # fmt: skip
def test_scores_have_one_decimal(value, text):
    assert score_text(value) == text == score(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(12, "¥12.00"), (Decimal("30"), "¥30.00"), (Decimal("0.5000"), "¥0.50"),
     (Decimal("1234.565"), "¥1234.57"), (Decimal("-3"), "−¥3.00"), (None, "—")],
)  # fmt: skip
def test_money_is_yuan_with_two_decimals(value, text):
    assert money_text(value) == text == money(value)


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [(Decimal("1"), None, "+1.0"), (Decimal("-2"), None, "−2.0"),
     (Decimal("2.0000"), "deduction", "−2.0"), (Decimal("0.5000"), "bonus", "+0.5"),
     (Decimal("0.2500"), "deduction", "−0.25"), (Decimal("10"), "bonus", "+10.0"),
     (Decimal("0"), "bonus", "0.0"), (None, None, "—")],
)  # fmt: skip
def test_points_are_signed_with_at_least_one_decimal_never_rounded(value, kind, text):
    assert points_text(value, kind) == text == points(value, kind)


def test_the_filters_in_a_template():
    html = Template(
        "{% load kaoping_web %}{{ s|score }} {{ m|money }} {{ p|points:'deduction' }}"
    ).render(Context({"s": Decimal("30.00"), "m": Decimal("12"), "p": Decimal("2.0000")}))
    assert html == "30.0 ¥12.00 −2.0"


class _Form(forms.Form):
    member = PickerField(queryset=None)
    item = item_picker()
    optional = item_picker(required=False, empty_label="（不补录）")
    people = forms.MultipleChoiceField(choices=[("a", "A")], widget=PickerMultiple)
    ticks = forms.MultipleChoiceField(choices=[("a", "A")], widget=CheckboxColumns)


@pytest.mark.django_db
def test_pickers_are_searchable_selects_with_a_chinese_prompt_and_items_grouped(district):
    items = SchemeItem.objects.filter(scheme=district.scheme).order_by("kind", "code")
    form = _Form()
    form.fields["member"].queryset = district.b1.members.order_by("code")
    form.fields["item"].queryset = items
    form.fields["optional"].queryset = items
    html = str(form["member"]) + str(form["item"]) + str(form["optional"])
    assert "---------" not in html
    assert html.count("data-picker") == 3
    assert '<option value="" selected>请选择…</option>' in str(form["member"])
    assert "（不补录）" in str(form["optional"])
    # the items under one optgroup per kind and group, in the order they come
    groups = re.findall(r'<optgroup label="([^"]+)">', str(form["item"]))
    assert groups == list(dict.fromkeys(item_group(i) for i in items))
    assert any(g.startswith("扣分") for g in groups) and any(g.startswith("加分") for g in groups)
    deduction = items.filter(kind="deduction", group="obligations").first()
    assert item_group(deduction) == "扣分 · 履行党员基本义务"
    # a grouped field still takes any record of its queryset and refuses others
    ok = _Form({"member": district.m1.pk, "item": deduction.pk, "people": ["a"], "ticks": ["a"]})
    ok.fields["member"].queryset = district.b1.members.all()
    ok.fields["item"].queryset = items
    ok.fields["optional"].queryset = items
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["item"] == deduction
    assert isinstance(_Form.base_fields["member"].widget, Picker)
    assert 'data-picker=""' in str(form["people"]) and "multiple" in str(form["people"])
    assert 'class="kp-checks"' in str(form["ticks"])


class _Fields(forms.Form):
    name = forms.CharField(label="姓名", help_text="与名册一致。")
    note = forms.CharField(label="说明", required=False)
    agree = forms.BooleanField(label="已核对", required=False)
    choice = forms.ChoiceField(label="结论", choices=[("a", "甲")], widget=forms.RadioSelect)


def test_the_field_template_marks_required_fields_and_uses_the_chinese_colon():
    form = _Fields({"name": ""})
    form.is_valid()
    html = render_to_string("web/_form_fields.html", {"form": form})
    assert '<label for="id_name"><span class="kp-req" aria-hidden="true">*</span>姓名' in html
    assert '<span class="visually-hidden">（必填）</span>：</label>' in html
    assert '<label for="id_note">说明：</label>' in html  # optional: no mark
    assert "已核对</label>" in html  # a single checkbox's label follows it, without a colon
    assert "<legend>" in html and "结论" in html  # a group of choices is a fieldset
    assert 'id="id_name_helptext"' in html and 'aria-describedby="id_name_helptext' in html
    assert 'id="id_name-error"' in html and 'class="field has-error"' in html
    assert not re.search(r":</(label|legend)>", html)


FORM_TEMPLATE = re.compile(r"(^_form.*|.*_form|form_page|_field)\.html$")


def test_no_template_prints_a_label_with_an_ascii_colon():
    """Labels come from web/_field.html (the Chinese colon); no template writes a label or
    a legend ending in an ASCII colon, and the form templates print no label_tag of
    Django's (whose zh-hans suffix is the ASCII colon)."""
    templates = list(KAOPING.rglob("templates/**/*.html"))
    assert any(FORM_TEMPLATE.match(p.name) for p in templates)
    for path in templates:
        text = path.read_text()
        assert not re.search(r":\s*(</label>|</legend>)", text), path
        assert "label_tag" not in text, path
