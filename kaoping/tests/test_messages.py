"""Every message a user can see is Chinese source text through gettext, with an English
translation in the catalogue of the app that raises it (issue 15, item 20).

The check is static (``ast`` over every non-test module under ``kaoping/``): each
``ValidationError``/``PermissionDenied``/``Http404``/``HttpError``/``CommandError``/
``RowError`` and each bundle error (``BundleError``/``BundleNotJSON``/``BundleTooDeep``/
``RestoreError``) built, each message given to ``messages.*``, a form's ``add_error`` or a
message collector's ``add(key, message)`` (``self.errors.add``, ``self.schema_errors.add``,
also through an alias ``add = self.errors.add``), or to a function of the same module that
passes its parameter on, must carry a
``gettext`` call (``_``/``gettext``/``gettext_lazy``/``ngettext``/``pgettext``) on a Chinese
literal, and that msgid must have a non-empty English msgstr in the compiled catalogue of
the app (package) the module lives in (``kaoping/<app>/locale``; the web app and the
ground floor ``kaoping/kit/`` use ``kaoping/locale``). A message held in a variable
is traced to its assignments, appends, loop sources and the returns of the module's own
functions; an exception caught and passed on was checked where it was made; what cannot be
traced is in ``ALLOWLIST`` with its reason. A runtime check then asks

Django itself: under zh-hans each msgid stays Chinese, under en it reads as the app's
English.
"""

import ast
import gettext as stdlib_gettext
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]  # kaoping/
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Calls that make a user-visible error, and which positional argument is its message.
ERRORS = {
    "ValidationError": 0,
    "PermissionDenied": 0,
    "Http404": 0,
    "HttpError": 1,  # ninja: HttpError(status, message)
    "ApiError": 2,  # api: ApiError(status, code, message)
    "CommandError": 0,
    "RowError": 2,  # sheets: RowError(row, column, message)
    "BundleError": 0,  # bundles: BundleError(messages)
    "BundleNotJSON": 0,
    "BundleTooDeep": 0,
    "RestoreError": 0,
}
# ``messages.error(request, msg)``, ``form.add_error(field, msg)``.
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error"}
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# Exceptions whose message was checked where they were made: passing one on is fine.
CHECKED_EXCEPTIONS = {
    "ValidationError",
    "PermissionDenied",
    "Http404",
    "HttpError",
    "ApiError",
    "SheetErrors",
    "BundleTooDeep",
    "BundleNotJSON",
    "RestoreError",
}

# Messages the static check cannot see through, each with why it is safe (keep it tiny):
# (module, function, call) → reason.
FROZEN_NOTICE = "schemes.selectors.frozen_notice, a gettext on a Chinese literal"
BLOCKERS = (
    "the list of publication.services.finalisation_blockers, each a gettext on a Chinese literal"
)
ALLOWLIST: dict[tuple[str, str, str], str] = {
    ("evaluation/views.py", "round_action", "success(…)"): "the done messages of its "
    "ACTIONS table, each gettext_lazy on a Chinese literal",
    ("sheets/xlsx.py", "read_rows", "RowError(…)"): "the ValueError of _convert just above "
    "it, each raised with gettext on a Chinese literal (not any ValueError: only _convert's)",
    ("bundles/writes.py", "_labelled", "ValidationError(…)"): "prefixes the record's "
    "label (a bundle path, e.g. organizations[3] (code B1)) to the message of a "
    "ValidationError already checked where a service raised it",
    ("bundles/errors.py", "error", "BundleError(…)"): "the messages kept by "
    "Messages.add, each checked at its call (self.errors.add / self.schema_errors.add)",
    ("bundles/services.py", "bundle_import", "BundleError(…)"): "the messages of a "
    "model ValidationError (checked where raised), each after its field's name",
    ("dues/services.py", "dues_close_blocker", "ValidationError(…)"): "the text of "
    "dues_close_blocker, each a gettext on a Chinese literal or schemes.selectors.frozen_notice",
    ("meetings/views.py", "_frozen", "error(…)"): FROZEN_NOTICE,
    ("tasks/views.py", "_frozen", "error(…)"): FROZEN_NOTICE,
    ("claims/views.py", "my_claims", "error(…)"): FROZEN_NOTICE,
    ("claims/views.py", "claim_detail", "error(…)"): FROZEN_NOTICE,
    ("inspections/views.py", "inspection_detail", "error(…)"): FROZEN_NOTICE,
    ("web/views/branch.py", "entry_create", "error(…)"): FROZEN_NOTICE,
    ("web/views/ledger.py", "entry_reverse_view", "error(…)"): FROZEN_NOTICE,
    ("publication/services.py", "branch_finalise", "ValidationError(…)"): BLOCKERS,
    ("publication/views.py", "finalise", "ValidationError(…)"): BLOCKERS,
    ("publication/api.py", "publication_finalise", "ValidationError(…)"): BLOCKERS,
    ("inspections/api.py", "inspection_finding_record", "ValidationError(…)"): FROZEN_NOTICE,
}


@dataclass(frozen=True)
class Msgid:
    module: str
    line: int
    text: str
    context: str | None = None
    plural: str | None = None

    @property
    def key(self) -> str:
        return self.text if self.context is None else f"{self.context}\x04{self.text}"


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if (
            "tests" in parts
            or "migrations" in parts
            or parts[0] == "testing"
            or path.name.startswith("test_")
            or path.name == "conftest.py"
        ):
            continue
        yield path


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_collector(func: ast.expr) -> bool:
    """``<…>errors.add``: the ``add(key, message)`` of a message collector."""
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "add"
        and (_name(func.value) or "").endswith("errors")
    )


def _literal(node: ast.expr) -> str | None:
    """A string literal, also implicitly concatenated ones."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Checker(ast.NodeVisitor):
    """Checks one module. ``wrappers`` are this module's functions that pass one of their
    parameters on as a message (name → parameter name, position): their callers' arguments
    are checked instead (found by a first pass)."""

    def __init__(self, module: str, tree: ast.Module, wrappers=None):
        self.module = module
        self.tree = tree
        self.wrappers: dict[str, tuple[str, int]] = dict(wrappers or {})
        self.found_wrappers: dict[str, tuple[str, int]] = {}
        self.problems: list[str] = []
        self.msgids: list[Msgid] = []
        self.scopes: list[ast.AST] = [tree]
        self.handlers: list[dict[str, set[str]]] = [{}]
        self.functions = {
            n.name: n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }

    def run(self) -> "_Checker":
        self.visit(self.tree)
        return self

    # Scopes: names are traced to their assignments inside the enclosing function.
    def visit_FunctionDef(self, node):
        self.scopes.append(node)
        self.handlers.append({})
        self.generic_visit(node)
        self.scopes.pop()
        self.handlers.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ExceptHandler(self, node):
        if node.name:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            self.handlers[-1][node.name] = {_name(t) for t in types if t is not None}
        self.generic_visit(node)

    def visit_Call(self, node):
        name = _name(node.func)
        message = None
        if name in ERRORS:
            index = ERRORS[name]
            if len(node.args) > index:
                message = node.args[index]
            else:
                message = next((k.value for k in node.keywords if k.arg == "message"), None)
        elif name in MESSAGE_FUNCTIONS and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "messages" and len(node.args) > 1:
                message = node.args[1]
        elif name == "add_error" and len(node.args) > 1:
            message = node.args[1]
        elif len(node.args) > 1 and (
            _is_collector(node.func)
            or (
                isinstance(node.func, ast.Name)
                and any(
                    _is_collector(v.elts[i] if isinstance(v, ast.Tuple) and i is not None else v)
                    for v, i in self._assigned(node.func.id)
                )
            )
        ):
            name = "add"
            message = node.args[1]
        elif name in self.wrappers and isinstance(node.func, ast.Name):
            param, index = self.wrappers[name]
            if len(node.args) > index:
                message = node.args[index]
            else:
                message = next((k.value for k in node.keywords if k.arg == param), None)
        if message is not None:
            self._check(message, node.lineno, f"{name}(…)", set())
        self.generic_visit(node)

    def _problem(self, line: int, what: str, why: str) -> None:
        key = (self.module, getattr(self.scopes[-1], "name", ""), what)
        if key not in ALLOWLIST:
            self.problems.append(f"{self.module}:{line}: {what}: {why}")

    def _check(
        self, node: ast.expr, line: int, what: str, seen: set[str], item: int | None = None
    ) -> None:
        """``item``: the message is that item of each tuple ``node`` holds or yields
        (``for column, message in problems``)."""
        if isinstance(node, ast.Constant) and node.value is None:
            return
        if isinstance(node, ast.Dict):
            for value in node.values:
                self._check(value, line, what, seen, item)
            return
        if isinstance(node, ast.Tuple) and item is not None and item < len(node.elts):
            self._check(node.elts[item], line, what, seen)
            return
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            for elt in node.elts:
                self._check(elt, line, what, seen, item)
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            self._check(node.left, line, what, seen)
            return
        if isinstance(node, ast.IfExp):
            self._check(node.body, line, what, seen, item)
            self._check(node.orelse, line, what, seen, item)
            return
        if isinstance(node, ast.Call) and _name(node.func) in GETTEXT:
            self._gettext(node, line, what)
            return
        if self._passed_on(node):
            return  # an exception (or its messages) already checked where it was made
        if isinstance(node, ast.Call) and _name(node.func) == "str" and len(node.args) == 1:
            self._check(node.args[0], line, what, seen)
            return
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant)
            and len(node.args) == 1
        ):
            self._check(node.args[0], line, what, seen)  # " ".join(exc.messages)
            return

        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, int)
        ):
            self._check(node.value, line, what, seen, node.slice.value)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = self.functions.get(node.func.id)
            if function is not None and function.name not in seen:
                # A message made by a function of this module: check what it returns.
                returns = [
                    r.value
                    for r in ast.walk(function)
                    if isinstance(r, ast.Return) and r.value is not None
                ]
                self.scopes.append(function)
                for value in returns:
                    self._check(value, line, what, seen | {function.name}, item)
                self.scopes.pop()
                return
        key = f"{id(self.scopes[-1])}:{getattr(node, 'id', '')}"
        if isinstance(node, ast.Name) and key not in seen:
            values = self._assigned(node.id)
            if values:
                for value, position in values:
                    self._check(
                        value, line, what, seen | {key}, item if position is None else position
                    )
                return
            params = self._params()
            if node.id in params:
                function = self.scopes[-1]
                self.found_wrappers[function.name] = (node.id, params.index(node.id))
                return
        self._problem(line, what, f"message is not gettext: {ast.unparse(node)[:80]}")

    def _params(self) -> list[str]:
        function = self.scopes[-1]
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return []
        a = function.args
        return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]

    def _passed_on(self, node: ast.expr) -> bool:
        """Rooted in an exception caught as one we check (``exc``, ``exc.messages[:50]``,
        ``exc.message_dict.get(...)``), or a parameter annotated as one."""
        while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
            node = node.func if isinstance(node, ast.Call) else node.value
        if not isinstance(node, ast.Name):
            return False
        for handlers in reversed(self.handlers):
            if node.id in handlers:
                return bool(handlers[node.id]) and handlers[node.id] <= CHECKED_EXCEPTIONS
        function = self.scopes[-1]
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            a = function.args
            for p in a.posonlyargs + a.args + a.kwonlyargs:
                if p.arg == node.id and p.annotation is not None:
                    return _name(p.annotation) in CHECKED_EXCEPTIONS
        return False

    def _assigned(self, name: str) -> list[tuple[ast.expr, int | None]]:
        """Every value the name is given in the enclosing function, with its position when
        unpacked from a tuple: assignments, loop targets (the iterated value),
        ``name.append(x)``/``extend``."""

        def position(target: ast.expr) -> tuple[bool, int | None]:
            if isinstance(target, ast.Name):
                return target.id == name, None
            if isinstance(target, ast.Tuple):
                for i, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name) and elt.id == name:
                        return True, i
            return False, None

        values = []
        for node in ast.walk(self.scopes[-1]):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    hit, i = position(target)
                    if hit:
                        values.append((node.value, i))
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
                hit, i = position(node.target)
                if hit:
                    values.append((node.value, i))
            elif isinstance(node, ast.For | ast.comprehension):
                hit, i = position(node.target)
                if hit:
                    values.append((node.iter, i))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"append", "extend"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
                and node.args
            ):
                values.append((node.args[0], None))
        return values

    def _gettext(self, call: ast.Call, line: int, what: str) -> None:
        func = _name(call.func)
        args = [_literal(a) for a in call.args]
        if func.startswith("pgettext"):
            context, text, plural = (args + [None, None])[:2] + [None]
        elif func.startswith("ngettext"):
            context, (text, plural) = None, (args + [None, None])[:2]
        else:
            context, text, plural = None, (args or [None])[0], None
        if text is None or (func.startswith("ngettext") and plural is None):
            self._problem(line, what, f"gettext of a non-literal: {ast.unparse(call)[:80]}")
            return
        for part in (text, plural):
            if part is not None and not CJK.search(part):
                self._problem(line, what, f"source text is not Chinese: {part!r}")
                return
        self.msgids.append(Msgid(self.module, line, text, context, plural))


def _check_module(module: str, source: str) -> _Checker:
    """Runs the check until no new wrapper function is found."""
    tree = ast.parse(source, filename=module)
    wrappers: dict[str, tuple[str, int]] = {}
    while True:
        checker = _Checker(module, tree, wrappers).run()
        if checker.found_wrappers.keys() <= wrappers.keys():
            return checker
        wrappers |= checker.found_wrappers


def _catalogue_dir(module: str) -> Path:
    parts = Path(module).parts
    shared = {"web", "kit"}  # the web app and the ground floor use the project's catalogue
    if len(parts) > 1 and parts[0] not in shared and (ROOT / parts[0] / "__init__.py").exists():
        return ROOT / parts[0] / "locale"
    return ROOT / "locale"


def _scan() -> tuple[list[str], list[Msgid]]:
    problems, msgids = [], []
    for path in _modules():
        module = str(path.relative_to(ROOT))
        checker = _check_module(module, path.read_text())
        problems += checker.problems
        msgids += checker.msgids
    return problems, msgids


def _english(locale_dir: Path) -> stdlib_gettext.GNUTranslations | None:
    mo = locale_dir / "en" / "LC_MESSAGES" / "django.mo"
    if not mo.exists():
        return None
    with mo.open("rb") as f:
        return stdlib_gettext.GNUTranslations(f)


def test_every_user_message_is_chinese_gettext_with_english_in_its_app():
    problems, msgids = _scan()
    catalogues: dict[Path, stdlib_gettext.GNUTranslations | None] = {}
    for msgid in msgids:
        locale_dir = _catalogue_dir(msgid.module)
        if locale_dir not in catalogues:
            catalogues[locale_dir] = _english(locale_dir)
        english = catalogues[locale_dir]
        where = f"{msgid.module}:{msgid.line}"
        if english is None:
            problems.append(f"{where}: no compiled catalogue {locale_dir.relative_to(ROOT)}")
            continue
        if msgid.plural is not None:
            found = english._catalog.get((msgid.key, 0))
        else:
            found = english._catalog.get(msgid.key)
        if not found or found == msgid.text:
            problems.append(
                f"{where}: no English for {msgid.text!r} in "
                f"{locale_dir.relative_to(ROOT)}/en/LC_MESSAGES/django.po"
            )
    assert not problems, f"{len(problems)} untranslated messages:\n" + "\n".join(problems)


def test_messages_read_chinese_in_chinese_and_english_in_english():
    """The running catalogues agree: no other catalogue shadows an app's msgid with a
    different (or no) English, and zh-hans shows the Chinese source."""
    _, msgids = _scan()
    wrong = []
    for msgid in msgids:
        if msgid.plural is not None:
            continue  # covered by the static check
        catalogue = _english(_catalogue_dir(msgid.module))
        expected = catalogue._catalog.get(msgid.key) if catalogue else None
        with translation.override("zh-hans"):
            chinese = (
                translation.pgettext(msgid.context, msgid.text)
                if msgid.context
                else translation.gettext(msgid.text)
            )
        with translation.override("en"):
            english = (
                translation.pgettext(msgid.context, msgid.text)
                if msgid.context
                else translation.gettext(msgid.text)
            )
        if not CJK.search(chinese):
            wrong.append(f"{msgid.module}:{msgid.line}: zh-hans shows {chinese!r}")
        if expected and english != expected:
            wrong.append(
                f"{msgid.module}:{msgid.line}: en shows {english!r}, its app says {expected!r}"
            )
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_an_english_message():
    """The scanner itself: an English literal, an f-string and an untraced name fail."""
    source = (
        "from django.utils.translation import gettext as _\n"
        "def f(year, msg):\n"
        "    raise ValidationError({'year': f'the {year} results are final'})\n"
        "def g():\n"
        "    raise PermissionDenied(_('you cannot'))\n"
        "def h(msg):\n"
        "    raise ValidationError(msg)\n"
        "def j():\n"
        "    h('no English please')\n"
        "def k(year):\n"
        "    m = _('%(year)s 年度结果已定格') % {'year': year}\n"
        "    raise ValidationError(m)\n"
    )
    checker = _check_module("x/services.py", source)
    assert [p.split(":")[1] for p in checker.problems] == ["3", "5", "9"]
    assert [m.text for m in checker.msgids] == ["%(year)s 年度结果已定格"]


def test_the_check_sees_an_english_bundle_message():
    """A bundle check's message goes through its collector (``self.errors.add``, also as
    ``add = self.errors.add``) or a bundle exception: English or an f-string fails."""
    source = (
        "from django.utils.translation import gettext\n"
        "class Import:\n"
        "    def check(self, code):\n"
        "        self.errors.add((1,), f'members (id {code}): unknown branch')\n"
        "        add = self.schema_errors.add\n"
        "        add((2,), 'the parent chain loops')\n"
        "        add((3,), gettext('%(record)s：上级组织链形成循环。') % {'record': code})\n"
        "        n, put = 1, self.errors.add\n"
        "        put((4,), f'{n} more')\n"
        "        seen = set()\n"
        "        seen.add(code)\n"
        "        raise BundleNotJSON('the file is empty')\n"
    )
    checker = _check_module("bundles/checks.py", source)
    assert [p.split(":")[1] for p in checker.problems] == ["4", "6", "9", "12"]
    assert [m.text for m in checker.msgids] == ["%(record)s：上级组织链形成循环。"]
