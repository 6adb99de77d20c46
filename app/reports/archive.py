"""Zipping documents, with a manifest of what was held back from the reader."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date

from app.reports import documents

HELD_BACK_FILE = "held-back.txt"


def held_back_manifest(held: Sequence[str]) -> str:
    """The note a ZIP carries when some ticked documents were left out for its reader."""
    lines = [
        "These documents were ticked but are not in this download, because you may not read",
        "them (yet):",
        "",
        *(f"- {item}" for item in held),
    ]
    return "\n".join(lines) + "\n"


def zip_documents(items: Sequence[tuple[str, bytes]], held_back: Sequence[str] = ()) -> bytes:
    """One ZIP with each (file name, PDF) under its own name (numbered when two would clash),
    and a manifest naming what was held back from this reader, if anything."""
    buffer = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for filename, pdf in items:
            name = filename
            if name in seen:
                seen[name] += 1
                stem, dot, ext = name.rpartition(".")
                name = f"{stem}-{seen[filename]}{dot}{ext}"
            else:
                seen[name] = 1
            archive.writestr(name, pdf)
        if held_back:
            archive.writestr(HELD_BACK_FILE, held_back_manifest(held_back))
    return buffer.getvalue()


def export_filename(on: date | None = None) -> str:
    """E.g. 'streamlead-documents-2026-11-21.zip'."""
    return f"streamlead-documents-{(on or documents.today()).isoformat()}.zip"
