"""YAML for files people import: no anchors or aliases, bounded nesting and size.

A safe loader still builds whatever the file describes: ten aliases of ten aliases ("billion
laughs") expand to gigabytes, and 20,000 nested brackets exhaust Python's stack. Both are
refused here while the file is composed, before anything is built, and each refusal names the
problem and its place in one line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, Event, NodeEvent
from yaml.nodes import Node

MAX_DEPTH = 20
MAX_BYTES = 1024 * 1024


class YamlRefused(yaml.YAMLError):
    """A file refused before it was built (an alias, an anchor, too deep or too large)."""

    def __init__(self, problem: str, event: Event | None = None) -> None:
        mark = event.start_mark if event is not None else None
        self.problem = problem
        self.place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """'line 3, column 5: <problem>' (or the problem alone when it has no place)."""
        return f"{self.place}: {self.problem}" if self.place else self.problem


def refuse_oversized(text: str) -> None:
    """Raise YamlRefused when the text is larger than MAX_BYTES in UTF-8."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise YamlRefused(
            f"the file is {size:,} bytes; files up to {MAX_BYTES:,} bytes (1 MiB) can be imported"
        )


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases and nesting deeper than MAX_DEPTH."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in stubs
        if isinstance(event, AliasEvent):
            raise YamlRefused(
                f"aliases (*{event.anchor}) are not allowed: write the value out in full", event
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise YamlRefused(
                f"anchors (&{event.anchor}) are not allowed: write the value out in full", event
            )
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise YamlRefused(
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep", event
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(text: str, loader: type[StrictLoader] = StrictLoader) -> Any:
    """Parse YAML text with `loader`; raises YamlRefused or another yaml.YAMLError."""
    refuse_oversized(text)
    return yaml.load(text, Loader=loader)  # noqa: S506 - StrictLoader is a SafeLoader
