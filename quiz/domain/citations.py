"""Citations (`source: {id, paragraph}`) in a bank's round-trip YAML (ruamel.yaml): following a
source to its new id when it is renamed."""
from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import yaml_roundtrip as yamlrt


def cited(citation: Any, renames: dict[str, str]) -> str | None:
    """The new id of the source a citation names, when that source is renamed (`renames`: old id -> new id)."""
    source_id = citation.get("id") if isinstance(citation, dict) else None
    return renames.get(source_id) if isinstance(source_id, str) else None


def rename_citations(node: Any, renames: dict[str, str]) -> None:
    """Every citation below `node` (a question, a bank's entries with their roles and other dates)
    that names a renamed source names its new id; nothing else changes."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if key == "source" and (new_id := cited(value, renames)):
                yamlrt.put(value, "id", new_id, ("id", "paragraph"))
            else:
                rename_citations(value, renames)
    elif isinstance(node, CommentedSeq):
        for item in node:
            rename_citations(item, renames)
