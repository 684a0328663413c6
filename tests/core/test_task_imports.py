"""Tasks import services to do their work; a service never imports a tasks module (it names
the task by dotted path for core.jobs.enqueue_on_commit), so the import goes one way and
the two never form a circle."""

import ast
import pathlib

import pytest
from django.utils.module_loading import import_string
from django_tasks.base import Task

import postdesk

SRC = pathlib.Path(postdesk.__file__).parent


def imported_names(path: pathlib.Path) -> set[str]:
    """Every module or name imported anywhere in the file, function bodies included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def service_modules() -> list[pathlib.Path]:
    return sorted([*SRC.glob("*/services.py"), *SRC.glob("*/services/*.py")])


def module_strings(tree: ast.Module) -> dict[str, str]:
    """The module's string constants (`MAIL_TASK = "postdesk...."`) by name."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def enqueued_task_paths() -> set[str]:
    """Every task path given to enqueue_on_commit, as a literal or a module constant; any
    other first argument fails here, since it could not be checked."""
    paths = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        constants = module_strings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None))
                == "enqueue_on_commit"
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    paths.add(first.value)
                else:
                    assert isinstance(first, ast.Name) and first.id in constants, (
                        f"{path.relative_to(SRC)}:{node.lineno}: name the task by its path"
                    )
                    paths.add(constants[first.id])
    return paths


@pytest.mark.parametrize("path", service_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_service_imports_a_tasks_module(path):
    assert {
        name for name in imported_names(path) if name.split(".")[-1] == "tasks" or ".tasks." in name
    } == set()


@pytest.mark.parametrize("app", ["billing", "scheduling"])
def test_the_tasks_modules_import_their_services(app):
    assert f"postdesk.{app}.services" in imported_names(SRC / app / "tasks.py")


def test_every_task_a_service_enqueues_by_path_is_a_task():
    paths = enqueued_task_paths()

    assert {
        "postdesk.billing.tasks.mail_quote",
        "postdesk.scheduling.tasks.mail_challenge_notice",
        "postdesk.scheduling.tasks.release_lapsed_challenge",
    } <= paths
    assert [path for path in sorted(paths) if not isinstance(import_string(path), Task)] == []
