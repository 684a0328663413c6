"""Files that say what they hold: no domain module over MAX_MODULE_LINES lines and no
function over MAX_FUNCTION_LINES lines (its `def` to its last line) unless its reason is
written below. Interface modules (pages, API, admin) and migrations are left to their
own reviews; the rule is about the code new apps copy their shape from."""

import ast
from pathlib import Path

from tests.test_architecture import is_interface, module_names

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60

# "module" or "module:function" (dotted, as imported) -> why it may be longer.
REASONS = {
    # Also written in its docstring.
    "postdesk.billing.models": (
        "fifteen models of one app, each with the constraints and indexes the database "
        "holds for it; Django and readers look for an app's tables in models.py"
    ),
    "postdesk.library.services.items:register_item": (
        "a third of it is the keyword-only signature (the item's first place, its lineage, "
        "the signer), which callers read as the service's contract; the body is 40 lines"
    ),
}


def _lines(node: ast.AST) -> int:
    return node.end_lineno - node.lineno + 1


def _long_functions(node: ast.AST, prefix: str) -> dict[str, int]:
    """{qualified name: length} of the functions in `node` over the limit, nested ones
    named by their enclosing function or class."""
    found = {}
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            qualified = f"{prefix}{child.name}"
            if _lines(child) > MAX_FUNCTION_LINES:
                found[qualified] = _lines(child)
            found.update(_long_functions(child, f"{qualified}."))
        elif isinstance(child, ast.ClassDef):
            found.update(_long_functions(child, f"{prefix}{child.name}."))
    return found


def oversized(src: Path) -> dict[str, int]:
    """{module or module:function: its length} for every domain module or function over
    its limit."""
    found = {}
    for name, path in module_names(src).items():
        if is_interface(name) or ".migrations" in name:
            continue
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            found[name] = text.count("\n")
        for function, length in _long_functions(ast.parse(text, str(path)), "").items():
            found[f"{name}:{function}"] = length
    return found


def test_no_domain_module_or_function_is_longer_than_its_limit_without_a_reason():
    unexplained = {k: n for k, n in oversized(SRC).items() if k not in REASONS}
    assert unexplained == {}, (
        f"Over {MAX_MODULE_LINES} lines (module) or {MAX_FUNCTION_LINES} (function): split "
        f"it by concern, or write why it may not be in REASONS: {unexplained}"
    )


def test_every_reason_is_still_needed():
    assert set(REASONS) <= set(oversized(SRC)), "A reason for a size no longer exceeded"


def test_the_measure_reports_a_long_module_and_function(tmp_path):
    # positive control: a synthetic tree with one of each, and a short one that passes
    package = tmp_path / "postdesk" / "things"
    package.mkdir(parents=True)
    (tmp_path / "postdesk" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    body = "".join(f"        x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    long_module = "class K:\n    def long(self):\n" + body + "\n" * MAX_MODULE_LINES
    (package / "long.py").write_text(long_module)
    (package / "short.py").write_text("def short():\n    return 1\n")
    (package / "api.py").write_text("\n" * (MAX_MODULE_LINES + 1))  # interface: not measured

    found = oversized(tmp_path)

    assert set(found) == {"postdesk.things.long", "postdesk.things.long:K.long"}
    assert found["postdesk.things.long:K.long"] == MAX_FUNCTION_LINES + 1
