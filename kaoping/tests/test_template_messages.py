"""Every Chinese string a page shows through gettext has English (issue 19): the
``{% translate %}``/``{% blocktranslate %}`` strings of every template (read with
Django's own ``templatize``, as ``makemessages`` does) and every gettext call on a
Chinese literal in the code (table columns, menus, steps, confirmations, job titles,
which ``test_messages`` does not trace). Under ``en`` each must read differently from
its msgid: an entry that is missing, empty or fuzzy reads as the Chinese."""

import ast
import re
from pathlib import Path

from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]  # kaoping/
CJK = re.compile(r"[\u3400-\u9fff]")
LITERAL = r"u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\""
CALL = re.compile(rf"\b(n?p?gettext)\(((?:{LITERAL}|\s|,)+)\)")
GETTEXT = {"_", "gettext", "gettext_lazy", "_lazy", "pgettext", "pgettext_lazy", "ngettext"}
GETTEXT |= {"ngettext_lazy", "gettext_noop"}


def _english(kind: str, args: list[str]) -> str:
    with translation.override("en"):
        if kind.startswith("n"):
            return translation.ngettext(args[0], args[1], 1)
        if kind.startswith("p"):
            return translation.pgettext(args[0], args[1])
        return translation.gettext(args[0])


def _untranslated(kind: str, args: list[str]) -> str | None:
    msgid = args[1] if kind.startswith("p") else args[0]
    if CJK.search(msgid) and _english(kind, args) == msgid:
        return msgid
    return None


def test_every_template_string_has_english():
    missing = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        code = templatize(path.read_text(), origin=str(path))
        for match in CALL.finditer(code):
            args = [a for a in ast.literal_eval(f"({match.group(2)},)") if isinstance(a, str)]
            if msgid := _untranslated(match.group(1), args):
                missing.append(f"{path.relative_to(ROOT)}: {msgid}")
    assert not missing, "\n".join(missing)


def test_every_gettext_literal_in_the_code_has_english():
    missing = []
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name not in GETTEXT:
                continue
            kind = "n" if name.startswith("n") else "p" if name.startswith("p") else ""
            need = 2 if kind else 1  # a plural's two forms, a context and its msgid
            args = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args[:need]
            ]
            if len(args) < need or None in args:
                continue
            if msgid := _untranslated(kind, args):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {msgid}")
    assert not missing, "\n".join(missing)
