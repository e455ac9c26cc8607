"""The package graph of reportgen, drawn from its imports (``python -m tests.architecture``
prints the Mermaid diagram of docs/architecture.md; a test keeps the two equal)."""

from __future__ import annotations

from tests.test_imports import MODULES, import_graph

STAGES = (
    "cli",
    "pipeline",
    "training",
    "sandbox",
    "collect",
    "render",
    "formats",
    "compare",
    "evaluate",
    "snapshot",
)
"""The packages, from the command line down to the snapshot model."""


def package(module: str) -> str | None:
    """The stage package of a module; ``None`` for the cross-cutting top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def package_edges() -> set[tuple[str, str]]:
    """(importer, imported) between stage packages, lazy imports included."""
    edges = set()
    for module, targets in import_graph().items():
        for target in targets:
            a, b = package(module), package(target)
            if a and b and a != b:
                edges.add((a, b))
    return edges


def mermaid() -> str:
    lines = ["```mermaid", "graph TD"]
    lines += [f"  {a} --> {b}" for a, b in sorted(package_edges(), key=_order)]
    lines.append("```")
    return "\n".join(lines)


def _order(edge: tuple[str, str]) -> tuple[int, int]:
    return STAGES.index(edge[0]), STAGES.index(edge[1])


def top_level() -> list[str]:
    """The cross-cutting modules directly under reportgen/."""
    return sorted(m.split(".")[1] for m in MODULES if m.count(".") == 1 and package(m) is None)


if __name__ == "__main__":
    print(mermaid())
