"""Form pieces every app's pages share: service errors shown on the form, date inputs,
the searchable pickers and the checkbox columns (docs/ui.md "Forms and numbers")."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

# The prompt of a picker with nothing chosen yet (never Django's "---------").
PICK_PROMPT = _("请选择…")

if TYPE_CHECKING:  # a label: text, or lazy gettext
    from django.utils.functional import _StrOrPromise as Label


def apply_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names when the
    form has that field, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def flash_service_error(request, exc: ValidationError) -> None:
    """Show a service's ValidationError at the top of the next page (an action without a
    form of its own: a button, a confirmation)."""
    for message in exc.messages:
        messages.error(request, message)


@contextmanager
def errors_on(form: forms.Form) -> Iterator[None]:
    """Run a service call for ``form``: its ValidationError is shown on the form (by
    ``apply_service_error``) and the block ends; anything after the call (the answer to a
    success) runs only when the call went through."""
    try:
        yield
    except ValidationError as exc:
        apply_service_error(form, exc)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class Picker(forms.Select):
    """A select that ``kaoping.js`` turns into a searchable picker (Tom Select); without
    JavaScript it is the plain select it renders."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)


class PickerMultiple(forms.SelectMultiple):
    """Several choices in one searchable picker (Tom Select), a plain multiple select
    without JavaScript."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)


class CheckboxColumns(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns (``.kp-checks``, a CSS grid), not one long column."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "kp-checks", **(attrs or {})}, choices)


class GroupedChoiceIterator(ModelChoiceIterator):
    """The queryset's choices under ``<optgroup>``s named by the field's ``group_by``,
    groups in the order they first appear."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(str(self.field.group_by(obj)), []).append(self.choice(obj))
        yield from groups.items()


class PickerField(forms.ModelChoiceField):
    """One record chosen with a searchable picker: a Chinese prompt instead of
    "---------", the options grouped by ``group_by`` (a record's group name) when given."""

    widget = Picker

    def __init__(
        self,
        queryset,
        *,
        group_by: Callable[[Any], str] | None = None,
        empty_label=PICK_PROMPT,
        **kwargs,
    ):
        super().__init__(queryset, empty_label=empty_label, **kwargs)
        self.group_by = group_by
        if group_by is not None:
            self.iterator = GroupedChoiceIterator


def decision_form(
    *,
    label: "Label",
    approve: "Label",
    refuse: "Label",
    reason_label: "Label",
    reason_help: "Label",
) -> type[forms.Form]:
    """The form of a decision on a request: approve or refuse (``decision``, "approve" or
    "refuse"), with a ``reason`` the service requires on a refusal. Each app names the
    decision in its own words (lazy gettext)."""

    class DecisionForm(forms.Form):
        decision = forms.ChoiceField(
            label=label,
            choices=[("approve", approve), ("refuse", refuse)],
            widget=forms.RadioSelect,
        )
        reason = forms.CharField(
            label=reason_label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=reason_help,
        )

    return DecisionForm
