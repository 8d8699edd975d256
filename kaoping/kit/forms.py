"""Form pieces every app's pages share: service errors shown on the form, date inputs."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

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
