"""Read a YAML file into plain Python values, remembering the line of every key and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import CatalogueError, InputError, ReportgenError

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


def read_yaml(path: Path, error: type[ReportgenError] = CatalogueError) -> YamlDoc:
    """Parse ``path``; a missing file or bad YAML raises ``error`` naming the file and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error.keyed("cannot_read", path=path, reason=exc) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error.keyed("yaml_not_utf8", where=f"{path}:{line}", byte=exc.start) from None
    node, data = _parse(text, str(path), 0, error)
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return YamlDoc(path, data, lines)


def parse_yaml(
    text: str, where: str, error: type[ReportgenError] = InputError, first_line: int = 1
) -> Any:
    """The plain values of YAML ``text`` found at ``where`` (a file, whose line ``first_line``
    the text starts on), read with the same limits and errors as :func:`read_yaml`."""
    return _parse(text, where, first_line - 1, error)[1]


MAX_NODES = 100_000  # far more than any catalogue, profile or exceptions file needs


def _parse(
    text: str, where: str, offset: int, error: type[ReportgenError]
) -> tuple[yaml.Node | None, Any]:
    """The composed root node and its values; lines in errors are ``offset`` + the text's."""
    # The C loader (libyaml) when PyYAML has it: 10x faster, same nodes and line marks.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, where, offset, error)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        line = _error_line(exc, text)
        at = f"{where}:{offset + line}" if line is not None else where
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        problem = " ".join(str(problem).split())  # one line, whatever the parser said
        raise error.keyed("yaml_invalid", where=at, problem=problem) from None
    finally:
        loader.dispose()
    return node, data


def _error_line(exc: yaml.YAMLError, text: str) -> int | None:
    """The 1-based line of a parser error in ``text``, when PyYAML says where."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        return text.count("\n", 0, exc.position) + 1
    return None


def _check_expansion(root: yaml.Node, where: str, offset: int, error: type[ReportgenError]) -> None:
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
                at = f"{where}:{offset + node.start_mark.line + 1}"
                raise error.keyed("yaml_alias_bomb", where=at, limit=f"{MAX_NODES:,}")
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                at = f"{where}:{offset + child.start_mark.line + 1}"
                raise error.keyed("yaml_alias_cycle", where=at)
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
