"""Read a YAML file into plain Python values, remembering the line of every key and item."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import CatalogueError

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document; ``line(*keys)`` gives the 1-based line of a key or list item."""

    path: Path
    data: Any
    lines: dict[PathKey, int] = field(repr=False)

    def line(self, *keys: str | int) -> int | None:
        """The line of the deepest known ancestor of ``keys`` (``None`` if nothing matches)."""
        for end in range(len(keys), -1, -1):
            found = self.lines.get(tuple(keys[:end]))
            if found is not None:
                return found
        return None

    def where(self, *keys: str | int) -> str:
        """``file:line`` for an error message."""
        line = self.line(*keys)
        return f"{self.path}:{line}" if line is not None else str(self.path)


def read_yaml(path: Path, error: Callable[[str], Exception] = CatalogueError) -> YamlDoc:
    """Parse ``path``; a missing file or bad YAML raises ``error`` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read ({exc})") from exc
    # The C loader (libyaml) when PyYAML has it: 10x faster, same nodes and line marks.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, path, error)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise error(f"{where}: invalid YAML ({getattr(exc, 'problem', exc)})") from exc
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return YamlDoc(path, data, lines)


MAX_NODES = 100_000  # far more than any catalogue, profile or exceptions file needs


def _check_expansion(root: yaml.Node, path: Path, error: Callable[[str], Exception]) -> None:
    """Refuse aliases that expand beyond MAX_NODES (an "alias bomb") or refer to themselves.

    Aliases make the composed nodes a graph; its expanded size is counted once per distinct
    node (memoised), so the check itself stays linear in the file.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_NODES:
                raise error(
                    f"{path}:{node.start_mark.line + 1}: invalid YAML (aliases expand to more "
                    f"than {MAX_NODES} values)"
                )
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise error(
                    f"{path}:{child.start_mark.line + 1}: invalid YAML (an alias refers to "
                    "the value that contains it)"
                )
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _walk(node: yaml.Node, prefix: PathKey, lines: dict[PathKey, int]) -> None:
    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*prefix, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*prefix, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*prefix, index)] = item.start_mark.line + 1
            _walk(item, (*prefix, index), lines)
