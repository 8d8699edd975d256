from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Organization

from .kinds import KINDS


class TemplateUploadForm(forms.Form):
    """上传文书模板: the organisation (of those the admin keeps), kind, year and file."""

    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("党组织"), to_field_name="code"
    )
    kind = forms.ChoiceField(
        label=_("文书种类"), choices=[(k.slug, k.title) for k in KINDS.values()]
    )
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=9999)
    file = forms.FileField(label=_("模板文件（.docx）"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
