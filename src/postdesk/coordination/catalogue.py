"""The deliverables templates shipped as data (deliverable_templates/*.json): one per
broadcaster or distributor kind, each a label and its items (name, spec)."""

import functools
import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "deliverable_templates"


@functools.cache
def templates() -> dict[str, dict]:
    """{key: {"label", "items": [{"name", "spec"}]}}, keyed by file name, in name order."""
    found = {}
    for path in sorted(FOLDER.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = {
            "label": str(data["label"]),
            "items": [
                {"name": str(i["name"]), "spec": str(i.get("spec", ""))} for i in data["items"]
            ],
        }
    return found


def choices() -> list[tuple[str, str]]:
    return [(key, t["label"]) for key, t in templates().items()]
