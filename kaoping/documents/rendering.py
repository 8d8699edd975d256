"""Filling a .docx template (docxtpl) with a document's fields, safely.

The values are data, never template code: the template is rendered by Jinja's sandbox
with autoescaping on, so a member's text holding ``{{``, ``{%`` or ``<w:t>`` comes out
as those characters; characters XML cannot hold (control characters other than tab and
newline) are dropped first, and a newline becomes a line break in Word."""

import io
import re
from collections.abc import Mapping

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

# XML 1.0 allows tab, newline and carriage return among the C0 controls; docxtpl reads
# \a and \f as "new paragraph" and "page break", so they go too.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(value: object) -> str:
    """A field's text as it may stand in the document."""
    text = "" if value is None else str(value)
    return _NOT_IN_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_fields(value: object) -> object:
    """``clean`` through a field's lists and dicts (a table's rows), texts at the leaves."""
    if isinstance(value, dict):
        return {str(k): clean_fields(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_fields(v) for v in value]
    return clean(value)


def docx_render(template: bytes, fields: Mapping[str, object]) -> bytes:
    """The filled document. ``fields`` are plain values (str, int, Decimal, date)."""
    document = DocxTemplate(io.BytesIO(template))
    environment = SandboxedEnvironment(autoescape=True)
    document.render({name: clean_fields(value) for name, value in fields.items()}, environment)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_fields(template: bytes) -> set[str]:
    """The names a template uses (its undeclared variables)."""
    return set(DocxTemplate(io.BytesIO(template)).get_undeclared_template_variables())


# An uploaded .docx is a zip: bounded before it is opened, so a small file cannot unpack
# into gigabytes.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_PARTS = 500


def docx_fields_checked(content: bytes) -> set[str]:
    """The fields an uploaded template uses; a ``ValidationError`` on ``file`` with the
    reason (in Chinese) when it is no .docx, too large unpacked, or its template code is
    broken."""
    import zipfile

    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from jinja2 import TemplateError

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            if "word/document.xml" not in {p.filename for p in parts}:
                raise ValidationError({"file": _("这不是 Word 文档（.docx）。")})
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
                raise ValidationError({"file": _("文档解压后过大。")})
    except zipfile.BadZipFile as error:
        raise ValidationError({"file": _("这不是 Word 文档（.docx）。")}) from error
    try:
        return template_fields(content)
    except TemplateError as error:
        raise ValidationError(
            {
                "file": _("模板语法有误：%(error)s")
                % {"error": getattr(error, "message", None) or error}
            }
        ) from error
    except Exception as error:  # noqa: BLE001 - python-docx and lxml raise many kinds
        raise ValidationError({"file": _("文档无法读取：%(error)s") % {"error": error}}) from error
