"""The house's import rules (docs/architecture.md), checked on the import graph of
src/postdesk.

The graph is built with `ast`, so nothing is imported to check it. It counts every
import statement wherever it stands (module level, inside a function, under
TYPE_CHECKING), relative ones too, and every string that is exactly a dotted postdesk
module path (what `import_string`, `import_module`, `include` and the settings lists
import by name). What is imported through an f-string is not seen.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Core and the domain apps, bottom up. An app may use the domain code of the floors below
# its own; never above, nor of another app on its own floor. The later apps' floors are
# the plan (docs/architecture.md); an app that is not listed fails the test until it is.
FLOORS = {
    "core": 0,
    "productions": 1,
    "scheduling": 2,
    "billing": 3,
    "library": 4,
    "engineering": 5,
    "frontdesk": 5,
    "coordination": 6,
    # Hears the events of floors 2-5 and reads their records to decide who is told.
    "notifications": 6,
    "portal": 7,
    "reports": 7,
}
TOOLKIT = "web"  # the page toolkit: on the ground floor, beside core
SHELL = "shell"  # menu, home page, sign-in: on top, filled by what the apps register
SITE = "site"  # postdesk/*.py: settings, urls, api, cli, wsgi; it assembles everything

# The modules (or packages) of an app or core that face HTTP or the admin: pages, API,
# admin, start-up wiring and commands. Every other module is domain code, which imports
# none of them.
INTERFACE_NAMES = {
    "admin",
    "api",
    "apiutil",
    "apps",
    "downloads",
    "forms",
    "management",
    "middleware",
    "serialise",
    "service_admin",
    "shell",
    "throttle",
    "urls",
    "views",
}
INTERFACE_SUFFIXES = ("_api", "_forms", "_pages", "_views")

# Imports that break a rule today, each with the reason it stays. The test fails when one
# is no longer needed, so the list only shrinks.
EXCEPTIONS = {
    (
        "postdesk.core.admin",
        "postdesk.productions.models",
    ): "A client user belongs to a client company (core's User.client is a foreign key to "
    "productions.Client, named by its label): the user admin offers the companies to pick. "
    "It could reach the model as User._meta.get_field('client').related_model instead.",
    (
        "postdesk.core.management.commands.createuser",
        "postdesk.productions.models",
    ): "`createuser --client ID` checks that the company exists: the same link as the "
    "user admin's.",
    **{
        ("postdesk.core.demo", f"postdesk.{app}.demo"): "The demo loader runs each app's "
        "loader, named by dotted path, in the order their data depends on; it should become "
        "a registration like the shell's."
        for app in (
            "productions",
            "scheduling",
            "billing",
            "library",
            "engineering",
            "frontdesk",
            "coordination",
            "portal",
            "reports",
            "notifications",
        )
    },
    **{
        ("postdesk.core.tasks", f"postdesk.{app}.tasks"): "The worker's start-up sweeps are "
        "each app's sweep, named by dotted path; it should become a registration like the "
        "shell's."
        for app in (
            "scheduling",
            "billing",
            "library",
            "engineering",
            "frontdesk",
            "notifications",
        )
    },
}

DOTTED = re.compile(r"postdesk(\.[A-Za-z_]\w*)+")


@dataclass(frozen=True, order=True)
class Import:
    source: str
    target: str
    line: int


@dataclass(frozen=True, order=True)
class Violation:
    source: str
    target: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.source} imports {self.target} (line {self.line}): {self.rule}"


def module_names(src: Path) -> dict[str, Path]:
    """Every module under src/postdesk by dotted name (a package by its own name)."""
    names = {}
    for path in sorted((src / "postdesk").rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _known(name: str, modules) -> str | None:
    """The longest prefix of `name` that is a module of the tree."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imports_of(name: str, path: Path, modules) -> list[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def add(target: str | None, line: int) -> None:
        # `postdesk` itself holds only its docstring; a string that merely looks like a
        # module ("postdesk.request", a logger's name) names nothing in the tree.
        if target and target != "postdesk" and target != name:
            found.append(Import(name, target, line))

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(_known(alias.name, modules), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                add(_known(f"{origin}.{alias.name}", modules), node.lineno)
        elif isinstance(node, ast.Constant) and DOTTED.fullmatch(str(node.value)):
            # A module named by its dotted path, for import_string, include, settings.
            add(_known(node.value, modules), node.lineno)
    return found


def area(name: str, packages: set[str]) -> str:
    """The package a module belongs to: an app, core, web, shell, or the site."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in packages else SITE


def is_interface(name: str) -> bool:
    """Named as a page, API, admin, wiring or command module, or inside such a package."""
    return any(
        part in INTERFACE_NAMES or part.endswith(INTERFACE_SUFFIXES) for part in name.split(".")[2:]
    )


def rule_broken(source: str, target: str, packages: set[str], floors: dict[str, int]):
    """The rule an import of `target` by `source` breaks, or None."""
    src, dst = area(source, packages), area(target, packages)
    if src == SITE:
        return None
    if dst == SITE:
        return "only the site's own modules (postdesk/*.py) import the site"
    if src == TOOLKIT:
        if dst in (TOOLKIT, "core"):
            return None
        return "the page toolkit (web/) imports core only, never an app or the shell"
    if src == SHELL:
        if dst in (SHELL, TOOLKIT, "core"):
            return None
        return "the shell imports no app: apps register their entries with it"
    if not is_interface(source) and (dst in (TOOLKIT, SHELL) or is_interface(target)):
        return "domain code imports no page, API, admin or shell module"
    if dst in (TOOLKIT, SHELL, src):
        return None
    if src == "core":
        return "core imports no app"
    if dst != "core" and is_interface(target):
        return "an app imports no other app's pages, API, admin or shell"
    if floors[dst] > floors[src]:
        return f"upward: {src} (floor {floors[src]}) imports {dst} (floor {floors[dst]})"
    if floors[dst] == floors[src]:
        return f"sideways: {src} and {dst} share floor {floors[src]}, so neither imports the other"
    return None


def check(src: Path, floors: dict[str, int] = FLOORS, exceptions=EXCEPTIONS):
    """(violations, packages without a floor, exceptions no longer needed) at src."""
    modules = module_names(src)
    packages = {p.name for p in (src / "postdesk").iterdir() if (p / "__init__.py").exists()}
    unknown = sorted(packages - set(floors) - {TOOLKIT, SHELL})
    violations, excused = set(), set()
    for name, path in modules.items():
        for imp in imports_of(name, path, modules):
            if {area(imp.source, packages), area(imp.target, packages)} & set(unknown):
                continue  # reported as a package without a floor instead
            rule = rule_broken(imp.source, imp.target, packages, floors)
            if rule is None:
                continue
            if (imp.source, imp.target) in exceptions:
                excused.add((imp.source, imp.target))
                continue
            violations.add(Violation(imp.source, imp.target, imp.line, rule))
    stale = sorted(set(exceptions) - excused)
    return sorted(violations), unknown, stale


def test_the_code_keeps_the_import_rules():
    violations, _, _ = check(SRC)

    assert violations == [], "\n" + "\n".join(map(str, violations))


def test_every_package_has_a_floor():
    _, unknown, _ = check(SRC)

    assert unknown == [], f"declare the floor of {unknown} in FLOORS and docs/architecture.md"


def test_every_listed_exception_is_still_needed():
    _, _, stale = check(SRC)

    assert stale == [], f"no longer needed, remove from EXCEPTIONS: {stale}"


# --- The checker itself, on a small tree made for the purpose -------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "postdesk" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for directory in [root / "postdesk", *(root / "postdesk").rglob("*")]:
        if directory.is_dir() and not (directory / "__init__.py").exists():
            (directory / "__init__.py").write_text("")
    return root


SYNTHETIC = {
    "urls.py": 'from django.urls import include\nX = include("postdesk.shell.urls")\n',
    "core/models.py": "import postdesk.scheduling.models\n",
    "core/roles.py": "",
    "core/views.py": "from postdesk.web.forms import form_page\n",
    "core/shell.py": "from postdesk.shell.registry import register_nav\n",
    "core/admin.py": "from postdesk.productions.models import Client\n",
    "productions/models.py": "from postdesk.core import roles\n",
    "productions/queries.py": "from postdesk.billing.models import Invoice\n",
    "scheduling/models.py": "from postdesk.productions.models import Job\n",
    "scheduling/services.py": "from .api import router\n",
    "scheduling/api.py": "from postdesk import urls\n",
    "scheduling/views.py": "from postdesk.web.forms import form_page\n",
    "billing/models.py": "def pdf():\n    from postdesk.billing import views\n    return views\n",
    "billing/services.py": "from postdesk.scheduling.models import Booking\n",
    "billing/views.py": "from postdesk.scheduling.views import board\n",
    "billing/urls.py": "",
    "billing/shell.py": "from postdesk.shell.registry import register_nav\n",
    "web/forms.py": "from postdesk.core.roles import can\n",
    "web/listing.py": 'URLS = ["postdesk.billing.urls"]\n',
    "shell/registry.py": "",
    "shell/home.py": "from postdesk.productions.models import Job\n",
    "library/models.py": "from postdesk.scheduling.models import Booking\n",
    "frontdesk/services.py": "from postdesk.engineering.models import Asset\n",
    "engineering/models.py": "",
    "engineering/board_pages.py": "from postdesk.web.listing import list_page\n",
    "canteen/models.py": "from postdesk.billing.models import Invoice\n",
}


def test_the_checker_reports_each_forbidden_import(tmp_path):
    # Given a tree with one import of each forbidden kind, and some allowed ones
    src = _tree(tmp_path, SYNTHETIC)

    # When it is checked
    violations, unknown, _ = check(src, exceptions={})

    # Then each forbidden one is reported, where it stands, and no allowed one
    assert [(v.source, v.target, v.line) for v in violations] == [
        ("postdesk.billing.models", "postdesk.billing.views", 2),
        ("postdesk.billing.views", "postdesk.scheduling.views", 1),
        ("postdesk.core.admin", "postdesk.productions.models", 1),
        ("postdesk.core.models", "postdesk.scheduling.models", 1),
        ("postdesk.frontdesk.services", "postdesk.engineering.models", 1),
        ("postdesk.productions.queries", "postdesk.billing.models", 1),
        ("postdesk.scheduling.api", "postdesk.urls", 1),
        ("postdesk.scheduling.services", "postdesk.scheduling.api", 1),
        ("postdesk.shell.home", "postdesk.productions.models", 1),
        ("postdesk.web.listing", "postdesk.billing.urls", 1),
    ]
    assert [v.rule for v in violations] == [
        "domain code imports no page, API, admin or shell module",
        "an app imports no other app's pages, API, admin or shell",
        "core imports no app",
        "core imports no app",
        "sideways: frontdesk and engineering share floor 5, so neither imports the other",
        "upward: productions (floor 1) imports billing (floor 3)",
        "only the site's own modules (postdesk/*.py) import the site",
        "domain code imports no page, API, admin or shell module",
        "the shell imports no app: apps register their entries with it",
        "the page toolkit (web/) imports core only, never an app or the shell",
    ]
    # A package without a floor is reported rather than checked against a guess.
    assert unknown == ["canteen"]


def test_a_listed_exception_is_excused_and_a_stale_one_reported(tmp_path):
    src = _tree(tmp_path, SYNTHETIC)
    exceptions = {
        ("postdesk.core.models", "postdesk.scheduling.models"): "a reason",
        ("postdesk.core.models", "postdesk.billing.models"): "no longer imported",
    }

    violations, _, stale = check(src, exceptions=exceptions)

    assert "postdesk.core.models" not in {v.source for v in violations}
    assert stale == [("postdesk.core.models", "postdesk.billing.models")]
