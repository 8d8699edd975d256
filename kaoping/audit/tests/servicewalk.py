"""A static map of the services: which public service functions write an audit row.

Read by ``audit/tests/test_services_audit.py``. A function audits when it calls
``audit_record``/``audit_record_many``, or calls (by name, in its own module or imported
from another module of ``kaoping``) a function that does. Methods are functions too: a
call ``x.name(...)`` may reach the method ``name`` of any class of the same module, so a
service that builds a worker object and runs it is seen through it.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the kaoping package
AUDIT_CALLS = frozenset({"audit_record", "audit_record_many"})


@dataclass
class Function:
    module: str
    name: str
    node: ast.FunctionDef
    calls: set[str] = field(default_factory=set)


def services_modules(root: Path = ROOT) -> list[Path]:
    """Every ``services.py`` and every module of a ``services`` package of an app."""
    found = sorted(root.glob("*/services.py")) + sorted(root.glob("*/services/*.py"))
    return [p for p in found if p.name != "__init__.py" or p.stat().st_size > 0]


def audit_calls(root: Path = ROOT) -> list[tuple[str, int, ast.expr]]:
    """(file, line, action expression) of every audit call outside tests."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in AUDIT_CALLS:
                found += [
                    (str(path.relative_to(root)), node.lineno, kw.value)
                    for kw in node.keywords
                    if kw.arg == "action"
                ]
    return found


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Name):
                names.add(sub.func.id)
            elif isinstance(sub.func, ast.Attribute):
                names.add(sub.func.attr)
        elif isinstance(sub, ast.Name):  # passed as a callback (e.g. to a runner)
            names.add(sub.id)
    return names


def _imports(tree: ast.Module, module: str) -> dict[str, tuple[str, str]]:
    """Local name -> (module, name) for ``from … import`` lines."""
    found = {}
    package = module.rsplit(".", 1)[0]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{source}" if source else base
            for alias in node.names:
                found[alias.asname or alias.name] = (source, alias.name)
    return found


def auditing_map(root: Path = ROOT) -> dict[tuple[str, str], bool]:
    """(module, function) -> writes an audit row, for every top-level function of every
    module under ``kaoping`` reachable from a services module."""
    functions: dict[tuple[str, str], Function] = {}
    imports: dict[str, dict[str, tuple[str, str]]] = {}
    methods: dict[str, list[str]] = defaultdict(list)  # module -> its classes
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts or "migrations" in path.parts:
            continue
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports[module] = _imports(tree, module)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                functions[(module, node.name)] = Function(
                    module, node.name, node, _called_names(node)
                )
            elif isinstance(node, ast.ClassDef):
                methods[module].append(node.name)
                for sub in node.body:
                    if isinstance(sub, ast.FunctionDef):
                        name = f"{node.name}.{sub.name}"
                        functions[(module, name)] = Function(module, name, sub, _called_names(sub))
    audits = {key: bool(f.calls & AUDIT_CALLS) for key, f in functions.items()}
    changed = True
    while changed:
        changed = False
        for key, f in functions.items():
            if audits[key]:
                continue
            for name in f.calls:
                targets = [(f.module, name), imports[f.module].get(name, ("", ""))]
                targets += [(f.module, f"{cls}.{name}") for cls in methods[f.module]]
                targets += [(f.module, f"{name}.__init__")]
                if any(audits.get(t) for t in targets):
                    audits[key] = changed = True
                    break
    return audits


def public_services(root: Path = ROOT) -> list[tuple[str, str]]:
    """(module, name) of every public top-level function of the services modules."""
    found = []
    for path in services_modules(root):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [
            (module, node.name)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        ]
    return found
