"""A newcomer's first `make run` (issue 11): it says what it is doing while it installs,
and a machine without HarfBuzz-Subset gets no WeasyPrint notices that read like errors."""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import postdesk

PROJECT = Path(__file__).resolve().parents[2]
SRC = Path(postdesk.__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_run_says_what_it_does_before_each_slow_step():
    # -n: print the recipes without running them; -B: as on a fresh clone, where nothing
    # is installed yet.
    dry = subprocess.run(
        ["make", "-n", "-B", "run", "PORT=8765"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(dry) if fragment in line)

    steps = [
        (
            "== installing Python packages into .venv",
            "pip install -c requirements/constraints.txt -e .",
        ),
        ("== installing front-end packages from npm", "npm ci"),
        ("== creating or updating the demo database", "postdesk migrate"),
        ("== loading the demo facility", "postdesk demo"),
        ("== collecting static files", "postdesk collectstatic"),
        ("== starting the web server", "postdesk serve"),
    ]
    for said, done in steps:
        assert line_of(said) < line_of(done)
    # pip shows what it fetches: the minute of installing is not a silent one
    (install,) = [line for line in dry if "pip install -c requirements/constraints.txt" in line]
    assert "--quiet" not in install


FAKE_MISSING_SUBSET = """
# As on a machine without libharfbuzz-subset: WeasyPrint's dlopen of it fails.
import cffi

_dlopen = cffi.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if name and "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load {name}")
    return _dlopen(self, name, *args, **kwargs)


cffi.FFI.dlopen = dlopen
"""

RENDER = textwrap.dedent(
    """
    import logging
    import django

    django.setup()
    from weasyprint import HTML
    from weasyprint.text import ffi

    assert ffi.harfbuzz_subset is None, "HarfBuzz-Subset was found after all"
    HTML(string="<h1>Invoice</h1><p style='font-family: serif'>Net 100.00</p>").write_pdf()
    logging.getLogger("weasyprint").warning("Any other WeasyPrint warning")
    """
)


def test_pdfs_without_harfbuzz_subset_print_only_real_warnings(tmp_path):
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(FAKE_MISSING_SUBSET)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(shim), str(SRC)]),
        "DJANGO_SETTINGS_MODULE": "postdesk.settings",
        "POSTDESK_DEMO": "1",
        "POSTDESK_VAR_DIR": str(tmp_path / "var"),
    }

    # -W always: DeprecationWarnings shown, as pytest and `python -X dev` show them
    run = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c", RENDER],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr
    output = (run.stdout + run.stderr).strip().splitlines()
    assert len(output) == 1
    assert output[0].endswith("WARNING weasyprint Any other WeasyPrint warning")


def test_readme_points_at_nothing_outside_the_repository():
    readme = (PROJECT / "README.md").read_text()

    assert "../" not in readme
    # every local link target exists in the checkout
    targets = re.findall(r"\]\(([^)#]+)[^)]*\)", readme)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert [t for t in local if not (PROJECT / t).exists()] == []
