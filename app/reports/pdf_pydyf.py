"""pydyf, the PDF writer under WeasyPrint, made cheaper where that changes no page or text.

Two adjustments, made once at import and each only where pydyf's source is the reviewed one
(another pydyf is left as it ships, and tests/app/reports/test_pdf.py fails so the change is
reviewed against it):

- `PydyfZlib`: pydyf deflates every stream with `zlib.compressobj(level=9)`. For our documents'
  small content streams, font subsets and tag tree, level 6 (zlib's default) takes 2-6 % off a
  whole render and makes the file 2-3 % larger; levels below 6 are no faster. Deflate is
  lossless, so the pages and their text are the same.
- `page_references`: `PDF.page_references` formats "n 0 R" for every page each time it is read,
  and WeasyPrint's PDF/UA tag tree reads it once per structure element: thousands of times a
  render, over every page (about 1 % of an interview guide). Ours formats them again only when
  the pages change; the PDF is the same byte for byte.
"""

from __future__ import annotations

import inspect
import zlib
from typing import Any

import pydyf

PDF_COMPRESSION_LEVEL = 6
PYDYF_LEVEL_9 = "zlib.compressobj(level=9)"
# pydyf 0.13's PDF.page_references, which `page_references` below must return the same as.
PYDYF_PAGE_REFERENCES = """\
    @property
    def page_references(self):
        return tuple(
            f'{object_number} 0 R'.encode('ascii')
            for object_number in self.pages['Kids'][::3])
"""


class PydyfZlib:
    """The `zlib` pydyf's module sees: zlib itself, except that the level 9 pydyf asks of
    `compressobj` becomes `PDF_COMPRESSION_LEVEL`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        """zlib.compressobj, at `PDF_COMPRESSION_LEVEL` where pydyf asks for 9."""
        return zlib.compressobj(PDF_COMPRESSION_LEVEL if level == 9 else level, *args, **kwargs)


def page_references(self: pydyf.PDF) -> tuple[bytes, ...]:
    """The pages' "n 0 R" references, as pydyf's property gives them, formatted once per set of
    pages (compared on every read, so a page added or changed is never missed)."""
    numbers = self.pages["Kids"][::3]
    cached: tuple[list[Any], tuple[bytes, ...]] | None = self.__dict__.get("_page_references")
    if cached is None or cached[0] != numbers:
        cached = (numbers, tuple(f"{number} 0 R".encode("ascii") for number in numbers))
        self.__dict__["_page_references"] = cached
    return cached[1]


def _source(thing: Any) -> str:
    """The source of a pydyf object, or "" where it was installed without its source."""
    try:
        return inspect.getsource(thing)
    except (OSError, TypeError):
        return ""


def compress_at_default_level() -> bool:
    """Give pydyf `PydyfZlib` if its source still asks for level 9 (whether it does now)."""
    if isinstance(pydyf.zlib, PydyfZlib):
        return True
    if pydyf.zlib is not zlib or PYDYF_LEVEL_9 not in _source(pydyf):
        return False
    pydyf.zlib = PydyfZlib()
    return True


def reuse_page_references() -> bool:
    """Give pydyf's PDF our `page_references` if its own is the reviewed one (whether it has)."""
    current = pydyf.PDF.page_references
    if isinstance(current, property) and current.fget is page_references:
        return True
    if not isinstance(current, property) or current.fget is None:
        return False
    if _source(current.fget) != PYDYF_PAGE_REFERENCES:
        return False
    pydyf.PDF.page_references = property(page_references)
    return True


# pydyf's own, kept for the tests that compare PDFs made with either.
SHIPPED_PAGE_REFERENCES = pydyf.PDF.page_references
COMPRESSION_PATCHED = compress_at_default_level()
PAGE_REFERENCES_PATCHED = reuse_page_references()
