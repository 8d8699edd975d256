"""Plain text, one set of rules for every way text comes in (forms and services through the
models, the API's schemas, spreadsheets, bundles) and goes out (the xlsx writer):

- no control characters but tab, line feed and carriage return (a stray ``\\x01`` in a note
  made every later export of its ledger fail, and the ledger is append-only);
- one definition of each length limit and of the code pattern; the models, the API
  schemas and the bundle checks use these, and ``bundles/bundle.schema.json`` states them
  (a test keeps it in step);
- a person's or an organisation's name does not start like a spreadsheet formula.

No domain rules: the apps say which field is a name, a code or a note.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Codes of organisations, members, items and entries: they travel in URLs, file names and
# bundles, so letters, digits and . _ - only, starting with a letter or digit. The patterns
# here are also JSON-schema patterns (bundle.schema.json): "$(?!\n)" ends the value in
# both ECMA and Python regexes (Python's "$" alone also matches before a final newline).
CODE_MAX = 64
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$(?!\n)"
# A person's name; an organisation's or an item's name; a scheme item's group.
NAME_MAX = 100
TITLE_MAX = 200
GROUP_MAX = 64
# Free text: notes, comments; a short reason (an exemption's).
NOTE_MAX = 20_000
REASON_MAX = 500

# C0 controls but tab, LF and CR; DEL; C1 controls. The xlsx format cannot hold most of
# them, and none belongs in text a person typed.
CONTROL_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
CONTROL = re.compile(f"[{CONTROL_CLASS}]")
NO_CONTROL_PATTERN = f"^[^{CONTROL_CLASS}]*$"
# A name does not start like a spreadsheet formula, nor with any control character.
NAME_START = r"=+\-@\u0000-\u001f\u007f-\u009f"
NAME_PATTERN = f"^[^{NAME_START}][^{CONTROL_CLASS}]*$"
CODE_RE = re.compile(CODE_PATTERN)
_BAD_NAME_START = re.compile(f"[{NAME_START}]")
# What a spreadsheet program reads as the start of a formula (the xlsx guard keeps it text).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def control_char(value: str) -> str | None:
    """The first control character of ``value`` as ``U+0001``, or None."""
    found = CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def control_char_message(label) -> str:
    """The message for a refused control character, naming the field."""
    return str(_("“%(field)s”含有不允许的控制字符，请删除后再提交。") % {"field": label})


def check_plain(value: str, label) -> None:
    """Raise ValidationError naming ``label`` when ``value`` holds a control character."""
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(control_char_message(label), code="control_character")


def starts_like_formula(value: str) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def bad_name_start(value: str) -> bool:
    """A name starting like a formula (or with a control character)."""
    return isinstance(value, str) and bool(_BAD_NAME_START.match(value))


def formula_start_message(label) -> str:
    return str(_("“%(field)s”不能以 = + - @ 或空白控制符开头。") % {"field": label})


def code_message(label) -> str:
    return str(
        _("“%(field)s”只能由字母、数字和 . _ - 组成，并以字母或数字开头。") % {"field": label}
    )


def xlsx_safe(value: str) -> str:
    """``value`` without the characters an xlsx file cannot hold (rows stored before the
    inputs refused them still export)."""
    return CONTROL.sub("", value)


class _FieldValidator:
    """A validator that names its field (``label``) in its message; equal by label, as
    migrations compare them."""

    def __init__(self, label=""):
        self.label = label

    def __eq__(self, other):
        return isinstance(other, type(self)) and self.label == other.label


@deconstructible
class PlainTextValidator(_FieldValidator):
    """Refuses control characters, naming the field."""

    def __call__(self, value):
        check_plain(value, self.label)


@deconstructible
class NameValidator(_FieldValidator):
    """Refuses a name that starts like a spreadsheet formula, naming the field."""

    def __call__(self, value):
        if bad_name_start(value):
            raise ValidationError(formula_start_message(self.label), code="formula_start")


@deconstructible
class CodeValidator(_FieldValidator):
    """A code must match ``CODE_PATTERN``, naming the field."""

    def __call__(self, value):
        if isinstance(value, str) and not CODE_RE.match(value):
            raise ValidationError(code_message(self.label), code="code_pattern")


# Model fields. Their validators run in every service's full_clean (the forms and the API
# go through the services), and a control character is refused at every save and
# bulk_create as well. They change no column, so they deconstruct as Django's own fields:
# no migration, and older migrations stay as they are.


class _Plain:
    extra_validators: tuple = ()

    def pre_save(self, model_instance, add):
        # Every save and bulk_create, also of services that do not call full_clean.
        value = super().pre_save(model_instance, add)
        if isinstance(value, str) and CONTROL.search(value):
            label = self.verbose_name or self.name
            raise ValidationError({self.name: [control_char_message(label)]})
        return value

    @cached_property
    def validators(self):
        label = self.verbose_name or self.name
        return [
            *super().validators,
            PlainTextValidator(label),
            *(make(label) for make in self.extra_validators),
        ]


class PlainCharField(_Plain, models.CharField):
    """A CharField that refuses control characters."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class PlainTextField(_Plain, models.TextField):
    """A TextField that refuses control characters and text over ``NOTE_MAX``."""

    extra_validators = (lambda _label: MaxLengthValidator(NOTE_MAX),)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class NameField(PlainCharField):
    """A person's or an organisation's name: plain, and not starting like a formula."""

    extra_validators = (NameValidator,)


class CodeField(PlainCharField):
    """A code entered by people (organisation, member, item): ``CODE_PATTERN``."""

    extra_validators = (CodeValidator,)
