"""The ground floor stays a floor and each shared helper has one home (issue 18): the kit
imports no app, its helpers and the access variants are defined once, not copied."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # kaoping/

# name → the one module that defines it
HOMES = {
    "apply_service_error": "kit/forms.py",
    "errors_on": "kit/forms.py",
    "flash_service_error": "kit/forms.py",
    "DateInput": "kit/forms.py",
    "DateTimeInput": "kit/forms.py",
    "PickerField": "kit/forms.py",
    "decision_form": "kit/forms.py",
    "author_field": "kit/users.py",
    "TableSpec": "kit/tables.py",
    "table": "kit/tables.py",
    "Step": "kit/steps.py",
    "confirm_page": "kit/confirm.py",
    "confirmed": "kit/confirm.py",
    "entry_link": "ledger/models.py",
    "branch_record_for": "orgs/selectors.py",
    "new_code": "kit/codes.py",
    "evidence_file_check": "kit/evidence.py",
    "user_or_none": "kit/users.py",
    "form_done": "kit/answers.py",
    "form_page": "kit/answers.py",
    "form_page_again": "kit/answers.py",
    "filter_given": "kit/querysets.py",
    "GivenMembersForm": "kit/choices.py",
    "result_row": "scoring/rows.py",
    "next_url": "kit/answers.py",
    "staff_required": "orgs/selectors.py",
    "branch_for_staff": "orgs/selectors.py",
    "manage_required": "orgs/selectors.py",
}
# Copies that used to stand in for them.
GONE = {
    "_require_manage",
    "_form_page",
    "_next_url",
    "_done",
    "_user",
    "_branch_for_staff",
    "_errors",
    "_flash",
    "_confirm_page",
}
NOT_YET: set[str] = set()


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        yield str(relative), ast.parse(path.read_text())


def _defined(tree: ast.Module) -> set[str]:
    return {
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def test_the_kit_imports_no_app():
    for module, tree in _modules():
        if not module.startswith("kit/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                name = node.module
            elif isinstance(node, ast.Import):
                name = node.names[0].name
            else:
                continue
            assert not name.startswith("kaoping.") or name.startswith("kaoping.kit"), (
                f"{module} imports {name}: the ground floor imports no app"
            )


def test_each_shared_helper_is_defined_once():
    homes: dict[str, list[str]] = {}
    copies = []
    for module, tree in _modules():
        if module.split("/")[0] in NOT_YET:
            continue
        names = _defined(tree)
        for name in names & HOMES.keys():
            homes.setdefault(name, []).append(module)
        copies += [f"{module}: {name}" for name in names & GONE]
    assert {name: sorted(where) for name, where in homes.items()} == {
        name: [home] for name, home in HOMES.items()
    }
    assert copies == []
