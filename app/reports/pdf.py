"""Render HTML to PDF with WeasyPrint, reading nothing but the app's own static files.

WeasyPrint's default URL fetcher reads any local file and any URL a document names, which in a
web app is a server-side request forgery waiting to happen. `StaticFilesOnly` serves files under
`app/static` (the print stylesheet and the shipped fonts) and refuses everything else before
opening it: other schemes, hosts, paths outside the static folder, symlinks that leave it.

WeasyPrint is imported with this module, so each worker process pays its import cost (about
half a second) once at start-up rather than on the first download. The print stylesheet and
its fonts are parsed once per thread (`print_style`) and passed to every render, which saves
about 55 ms a render; templates therefore do not link the stylesheet themselves. The document's
HTML is parsed by expat where that builds the same tree as WeasyPrint's pure-Python parser
(`pdf_parse`), which saves 10-25 ms more. The PDF writer under WeasyPrint, pydyf, deflates at
zlib's default level and formats page references once (`pdf_pydyf`), which saves 3-7 %.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import mimetypes
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.reports import pdf_pydyf  # noqa: F401 - adjusts pydyf at import (see the module)
from app.reports.pdf_parse import html_document

log = logging.getLogger(__name__)

STATIC_ROOT = (Path(__file__).resolve().parent.parent / "static").resolve()
# Relative links in report templates ("css/print.css") resolve against the static folder.
STATIC_BASE_URL = STATIC_ROOT.as_uri() + "/"
PRINT_STYLESHEET = STATIC_ROOT / "css" / "print.css"
FONT_DIR = STATIC_ROOT / "fonts"
# Only what a report can need; anything else under static is refused too.
ALLOWED_SUFFIXES: dict[str, str] = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
PDF_VARIANT = "pdf/ua-1"
# Bump when render_pdf's options change so cached PDFs made the old way are not reused.
RENDER_OPTIONS_VERSION = "2"


class RefusedURL(ValueError):
    """A document asked for something other than the app's own static files."""


class RenderTimeout(RuntimeError):
    """A PDF took longer than the time limit; it keeps rendering in the background."""


class StaticFilesOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """A WeasyPrint URL fetcher that serves files under the static folder and nothing else."""

    def __init__(self, root: Path = STATIC_ROOT) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = root.resolve()
        self.served: list[str] = []
        self.refused: list[str] = []

    def local_path(self, url: str) -> Path | None:
        """The file under the static folder this URL names, or None when it must be refused."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("",) or parts.query:
            return None
        raw = unquote(parts.path)
        if not raw.startswith("/") or "\x00" in raw:
            return None
        try:
            # resolve() follows symlinks and removes "..", so the check below sees the real file.
            path = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        if path.suffix.lower() not in ALLOWED_SUFFIXES:
            return None
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Serve a static file; refuse any other URL without opening it."""
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            log.warning("PDF renderer refused to fetch %s", url[:200])
            raise RefusedURL(f"only the app's own static files can be used in documents: {url}")
        self.served.append(url)
        content_type = ALLOWED_SUFFIXES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


_thread_style = threading.local()


def freeze_after_startup() -> None:
    """Move everything loaded at start-up out of the garbage collector's sight.

    Call once a process has finished importing (gunicorn's post_worker_init in gunicorn.conf.py,
    the background worker's start-up hook): WeasyPrint's many long-lived objects otherwise make
    every full collection during a render slow, costing 12-17 % of render time.
    """
    gc.collect()
    gc.freeze()


def print_style() -> tuple[weasyprint.CSS, FontConfiguration]:
    """This thread's parsed print stylesheet and the font configuration holding its fonts.

    Per thread because WeasyPrint's font machinery is not documented as thread-safe; the
    stylesheet and fonts only change with a deploy, which restarts the process.
    """
    style: tuple[weasyprint.CSS, FontConfiguration] | None = getattr(_thread_style, "style", None)
    if style is None:
        font_config = FontConfiguration()
        css = weasyprint.CSS(
            filename=str(PRINT_STYLESHEET), font_config=font_config, url_fetcher=StaticFilesOnly()
        )
        style = _thread_style.style = (css, font_config)
    return style


def lay_out(html: str, *, fetcher: StaticFilesOnly | None = None) -> weasyprint.Document:
    """The HTML laid out in pages with the print stylesheet (see `print_style`), as the PDF
    will show it; the layout tests measure its boxes."""
    css, font_config = print_style()
    return html_document(
        html, base_url=STATIC_BASE_URL, url_fetcher=fetcher or StaticFilesOnly()
    ).render(stylesheets=[css], font_config=font_config, pdf_variant=PDF_VARIANT)


def render_pdf(
    html: str, *, title: str, author: str, fetcher: StaticFilesOnly | None = None
) -> bytes:
    """Render final HTML to PDF bytes: PDF/UA tagged, with title, author and language metadata.

    Relative URLs in the HTML resolve against the static folder; nothing else can be fetched.
    """
    document = lay_out(html, fetcher=fetcher)
    # The template's <title> and <meta name=author> give the same values; these win.
    document.metadata.title = title
    document.metadata.authors = [author]
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """What, besides the HTML, decides the PDF: WeasyPrint, our options, stylesheet and fonts.

    Part of every cache key, so a new WeasyPrint or an edited print stylesheet never serves
    a PDF made the old way. Read once per process; deployments restart the processes.
    """
    digest = hashlib.sha256()
    digest.update(
        f"weasyprint {weasyprint.__version__}; options {RENDER_OPTIONS_VERSION};".encode()
    )
    digest.update(PDF_VARIANT.encode())
    for path in [PRINT_STYLESHEET, *sorted(FONT_DIR.glob("*.ttf"))]:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# --- rendering in the serving process, with a time limit -------------------------------------

# One render at a time per process: WeasyPrint's font machinery (Pango, fontconfig) is not
# documented as thread-safe, and gunicorn workers give the parallelism.
_render_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-render")
_inflight: dict[str, Future[bytes]] = {}
_inflight_lock = threading.Lock()


def render_with_limit(
    key: str,
    html: str,
    *,
    title: str,
    author: str,
    timeout: float,
    on_late_result: Callable[[bytes], None] | None = None,
) -> bytes:
    """Render on the process's render thread and wait at most `timeout` seconds.

    Python cannot stop a thread, so a render that overruns keeps going; `on_late_result` gets
    its bytes when it ends (the cache stores them, so asking again is served at once), and a
    second request for the same key waits on the same render instead of starting another.
    Raises RenderTimeout when the limit passes.
    """
    with _inflight_lock:
        future = _inflight.get(key)
        if future is None:
            future = _render_pool.submit(render_pdf, html, title=title, author=author)
            _inflight[key] = future
            future.add_done_callback(lambda _f: _forget(key))
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        if on_late_result is not None:
            future.add_done_callback(lambda f: _deliver_late(f, on_late_result))
        raise RenderTimeout(f"the document took more than {timeout:g} s to render") from None


def _forget(key: str) -> None:
    with _inflight_lock:
        _inflight.pop(key, None)


def _deliver_late(future: Future[bytes], callback: Callable[[bytes], None]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    try:
        callback(future.result())
    except Exception:  # a background cache write must never take the process down
        log.exception("Could not keep a PDF that finished after its time limit")


def wait_for_renders(timeout: float = 30.0) -> None:
    """Block until every in-flight render has finished (tests and the benchmark use it)."""
    with _inflight_lock:
        futures = list(_inflight.values())
    for future in futures:
        try:
            future.result(timeout=timeout)
        except Exception:  # noqa: S112 - a failed render is the caller's own concern
            continue
    # Late-result callbacks run in the render thread after the result is set; let them finish.
    _render_pool.submit(lambda: None).result(timeout=timeout)
