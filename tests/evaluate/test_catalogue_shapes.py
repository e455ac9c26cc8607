"""A catalogue with a value of the wrong shape anywhere is refused with a CatalogueError, never
a traceback: `reportgen verify` loads the catalogue attached to a PDF, which anyone can edit.

A wider sweep (every place of every file, 8,400 variants) ran once by hand; these tests keep a
fixed-seed sample of it."""

from __future__ import annotations

import contextlib
import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.checkspec import load_sections, load_spec
from reportgen.evaluate.profiles import load_profile
from reportgen.resources import data_dir
from reportgen.yamldoc import read_yaml

CHECKS = data_dir("checks")
SPECS = sorted(p for p in CHECKS.glob("*.yaml") if p.name != "sections.yaml")
# A text, a number, nothing, a list and a mapping.
WRONG: tuple[Any, ...] = ("x", 7, None, ["x"], {"a": 1})


def places(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every key path in a YAML document (the root excluded)."""
    if path:
        yield path
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        items = ()
    for key, value in items:
        yield from places(value, (*path, key))


def replaced(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    changed = copy.deepcopy(document)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


def write(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_places_of_sections_yaml(tmp_path: Path) -> None:
    """The sections list itself, each section and 15 other places, each given every shape."""
    document = yaml.safe_load((CHECKS / "sections.yaml").read_text(encoding="utf-8"))
    every = list(places(document))
    chosen = [p for p in every if len(p) <= 2]
    chosen += random.Random(1).sample([p for p in every if len(p) > 2], 15)
    for path in chosen:
        for value in WRONG:
            target = write(tmp_path, "sections.yaml", replaced(document, path, value))
            with contextlib.suppress(CatalogueError):
                load_sections(target)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_places_of_each_check_spec(spec: Path, tmp_path: Path) -> None:
    """Each spec: 3 places chosen with a fixed seed (every top-level key of the first spec),
    each given every shape; loading either works or is a CatalogueError."""
    sections, _, _ = load_sections(CHECKS / "sections.yaml")
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    every = list(places(document))
    chosen = random.Random(spec.stem).sample(every, min(3, len(every)))
    if spec == SPECS[0]:
        chosen += [(key,) for key in document]
    for path in chosen:
        for value in WRONG:
            target = write(tmp_path, spec.name, replaced(document, path, value))
            with contextlib.suppress(CatalogueError):
                load_spec(read_yaml(target), sections)


@pytest.mark.parametrize("name", ["article"])
def test_every_place_of_a_shipped_profile(name: str, tmp_path: Path) -> None:
    """A profile (attached to every PDF too): every place, every shape; works or is refused."""
    catalogue = load_catalogue()
    document = yaml.safe_load((CHECKS / "profiles" / f"{name}.yaml").read_text(encoding="utf-8"))
    for path in places(document):
        for value in WRONG:
            target = write(tmp_path, f"{name}.yaml", replaced(document, path, value))
            with contextlib.suppress(CatalogueError):
                load_profile(target, catalogue)
