"""Backup and restore of a whole deployment: every record (ledger chain included) and the
evidence files, in one zip. Restore goes into an empty database only, all or nothing."""

import io
import zipfile
from pathlib import Path

import pgtrigger
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.orgs.models import Member, Organization

# Everything but what a fresh installation rebuilds (content types, permissions),
# what is transient (sessions, login attempts) and the task queue.
APPS = [
    "auth.user",
    "auth.group",
    "audit",
    "notifications",
    "orgs",
    "schemes",
    "ledger",
    "meetings",
    "tasks",
    "dues",
    "inspections",
    "claims",
    "evaluation",
    "scoring",
    "publication",
    "documents.documenttemplate",  # the committees' own templates (archives are rebuilt)
    "api",
]
FORMAT = "kaoping.backup/1"

# A backup lists a year's closing (schemes) before its entries and tallies: the triggers
# refusing rows of a finalised year (``schemes.triggers``) stand aside while it loads.
RESTORE_IGNORES = ("ledger.ScoreEntry:entry_year_open", "evaluation.VoteTally:tally_year_open")


class RestoreError(Exception):
    pass


def _file_fields(objects) -> list[str]:
    names = []
    for obj in objects:
        for field in obj._meta.fields:
            if field.get_internal_type() == "FileField":
                value = getattr(obj, field.name)
                if value:
                    names.append(value.name)
    return names


def backup_write(target: io.BufferedIOBase) -> dict:
    """Write the zip to ``target``; returns counts for the report."""
    from django.apps import apps

    objects = []
    for label in APPS:
        if "." in label:
            objects.extend(apps.get_model(label).objects.order_by("pk"))
        else:
            for model in apps.get_app_config(label).get_models():
                objects.extend(model.objects.order_by("pk"))
    data = serializers.serialize("json", objects, indent=None)
    files = _file_fields(objects)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("FORMAT", FORMAT)
        zf.writestr("data.json", data)
        for name in files:
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    zf.writestr(f"media/{name}", fh.read())
    return {"records": len(objects), "files": len(files)}


def backup_restore(source: io.BufferedIOBase) -> dict:
    """Load a backup into an EMPTY database; refuses one that holds any organisation."""
    if Organization.objects.exists() or Member.objects.exists():
        raise RestoreError(_("数据库不是空的，只能恢复到新建的数据库"))
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise RestoreError(_("不是考评系统的备份文件（不是 zip 文件）")) from exc
    with zf:
        if "FORMAT" not in zf.namelist() or zf.read("FORMAT").decode() != FORMAT:
            raise RestoreError(_("不是考评系统的备份文件（格式不明）"))
        count = 0
        with transaction.atomic(), pgtrigger.ignore(*RESTORE_IGNORES):
            for obj in serializers.deserialize("json", zf.read("data.json")):
                obj.save()  # raw save: the ledger's append-only save() is not involved
                count += 1
            files = [n for n in zf.namelist() if n.startswith("media/")]
            for name in files:
                default_storage.save(
                    str(Path(name).relative_to("media")), ContentFile(zf.read(name))
                )
    _reset_sequences()
    return {"records": count, "files": len(files)}


def _reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [
        m for label in APPS if "." not in label for m in apps.get_app_config(label).get_models()
    ]
    models.append(apps.get_model("auth.user"))
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
