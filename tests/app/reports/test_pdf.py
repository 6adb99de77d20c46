"""render_pdf: only static files are fetched, the shipped font is used, metadata is set."""

from __future__ import annotations

import inspect
import io
import logging
import socket
import zlib
from pathlib import Path

import pydyf
import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject

from app.reports import pdf as pdf_module
from app.reports import pdf_pydyf
from app.reports.pdf import STATIC_ROOT, StaticFilesOnly, render_pdf
from tests.fixtures.pdf import pdf_pages, pdf_text


def page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Test</title>'
        f"{head}</head><body>{body}</body></html>"
    )


@pytest.fixture
def weasyprint_log(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """WeasyPrint's warnings, captured even after a logging.config call disabled its logger.

    (Alembic's env.py runs fileConfig, which disables loggers created before it.)
    """
    monkeypatch.setattr(logging.getLogger("weasyprint"), "disabled", False)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog


def fontools_fallbacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if "Using fontTools instead of HarfBuzz" in r.getMessage()
    ]


def test_http_urls_are_refused_without_any_connection() -> None:
    # A real listener: if the renderer tried the URL, the connection would be waiting here.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    port = listener.getsockname()[1]
    fetcher = StaticFilesOnly()
    try:
        render_pdf(
            page(
                f'<img src="http://127.0.0.1:{port}/x.png" alt="x">'
                '<img src="http://127.0.0.1:1/x" alt="y">'
                f'<link rel="stylesheet" href="https://127.0.0.1:{port}/evil.css">'
            ),
            title="t",
            author="a",
            fetcher=fetcher,
        )
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    assert f"http://127.0.0.1:{port}/x.png" in fetcher.refused
    assert "http://127.0.0.1:1/x" in fetcher.refused
    assert f"https://127.0.0.1:{port}/evil.css" in fetcher.refused


def test_local_files_outside_static_are_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text('body::after { content: "LEAKED-SECRET-TEXT"; }')
    html = page(
        '<p>Body</p><img src="file:///etc/passwd" alt="p">',
        head=f'<link rel="stylesheet" href="{secret.as_uri()}">',
    )
    fetcher = StaticFilesOnly()
    text = pdf_text(render_pdf(html, title="t", author="a", fetcher=fetcher))
    assert "LEAKED-SECRET-TEXT" not in text
    assert "file:///etc/passwd" in fetcher.refused
    assert secret.as_uri() in fetcher.refused
    # The same stylesheet is applied when its folder is the allowed root: the test can fail.
    allowed = StaticFilesOnly(root=tmp_path)
    assert "LEAKED-SECRET-TEXT" in pdf_text(
        render_pdf(html, title="t", author="a", fetcher=allowed)
    )


@pytest.mark.parametrize(
    "url",
    [
        (STATIC_ROOT / "css" / ".." / ".." / "reports" / "pdf.py").as_uri(),
        STATIC_ROOT.as_uri() + "/css/%2e%2e/%2e%2e/%2e%2e/config.py",
        STATIC_ROOT.as_uri() + "/../../config.py",
        "file://localhost" + str(STATIC_ROOT / "css" / "print.css"),
        (STATIC_ROOT / "css" / "print.css").as_uri() + "?x=1",
        (STATIC_ROOT / "scss" / "build.sh").as_uri(),
        (STATIC_ROOT / "css").as_uri(),
        "data:text/css,body{color:red}",
        "ftp://example.org/a.css",
        "file:///etc/passwd",
    ],
)
def test_fetcher_refuses_anything_but_a_static_asset(url: str) -> None:
    fetcher = StaticFilesOnly()
    with pytest.raises(pdf_module.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_symlinks_out_of_the_static_folder_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    outside = tmp_path / "outside.css"
    outside.write_text("p { color: red }")
    (root / "link.css").symlink_to(outside)
    (root / "real.css").write_text("p { color: blue }")
    fetcher = StaticFilesOnly(root=root)
    assert fetcher.fetch((root / "real.css").as_uri()).read() == b"p { color: blue }"
    with pytest.raises(pdf_module.RefusedURL):
        fetcher.fetch((root / "link.css").as_uri())


def test_static_assets_are_served_with_their_type() -> None:
    response = StaticFilesOnly().fetch((STATIC_ROOT / "fonts" / "OpenSans-Regular.ttf").as_uri())
    assert response.content_type == "font/ttf"
    assert response.read()[:4] == b"\x00\x01\x00\x00"


def test_pdf_uses_the_shipped_font_subset_with_harfbuzz(
    weasyprint_log: pytest.LogCaptureFixture,
) -> None:
    fetcher = StaticFilesOnly()
    pdf = render_pdf(
        page("<p>Plain <strong>bold</strong> <em>italic</em> text</p>"),
        title="t",
        author="a",
        fetcher=fetcher,
    )
    assert fontools_fallbacks(weasyprint_log) == []
    # The font comes with the per-thread print stylesheet (print_style), not on every render.
    assert fetcher.refused == []
    fonts = set()
    for pdf_page in PdfReader(io.BytesIO(pdf)).pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Report-Sans") for name in fonts), fonts


def test_the_fallback_check_catches_fonttools(
    weasyprint_log: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without HarfBuzz-Subset WeasyPrint logs the fallback, and the check above sees it."""
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    render_pdf(page("<p>Text</p>"), title="t", author="a")
    assert fontools_fallbacks(weasyprint_log)


def test_metadata_title_author_language_and_tags() -> None:
    pdf = render_pdf(page("<h1>Heading</h1><p>Text</p>"), title="My report", author="Northwind")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "My report"
    assert reader.metadata.author == "Northwind"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged: PDF/UA
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp


def flate_streams(pdf: bytes) -> list[tuple[bytes, bytes]]:
    """Every stream object of the PDF but the cross-reference stream (it holds byte offsets)
    as (bytes as stored, bytes decoded); each must be deflated."""
    reader = PdfReader(io.BytesIO(pdf))
    streams = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            assert obj.get("/Filter") == "/FlateDecode", obj
            if obj.get("/Type") == "/XRef":
                continue
            streams.append((obj._data, obj.get_data()))
    return streams


def test_streams_are_deflated_at_zlibs_default_level_and_read_as_at_level_9(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = page(
        "".join(f"<h2>Part {n}</h2><p>{'Plain text that wraps. ' * 40}</p>" for n in range(12))
    )
    ours = render_pdf(html, title="t", author="a")
    monkeypatch.setattr(pydyf, "zlib", zlib)  # pydyf as shipped: level 9
    shipped = render_pdf(html, title="t", author="a")

    streams = flate_streams(ours)
    assert len(streams) >= 4  # pages' content, font subsets, metadata…
    assert all(stored == zlib.compress(data, 6) for stored, data in streams)
    assert any(zlib.compress(data, 6) != zlib.compress(data, 9) for _, data in streams)
    # Lossless: the same content, the same text.
    assert [data for _, data in streams] == [data for _, data in flate_streams(shipped)]
    assert pdf_pages(ours) == pdf_pages(shipped)
    assert "Part 11 Plain text that wraps." in pdf_text(ours)


def test_pydyf_still_asks_for_level_9_where_we_give_it_6() -> None:
    # Fails after a pydyf upgrade that compresses differently: review PydyfZlib against it
    # (until then that pydyf is left alone and compresses as it ships).
    assert pdf_pydyf.PYDYF_LEVEL_9 in inspect.getsource(pydyf)
    assert pdf_pydyf.COMPRESSION_PATCHED
    assert isinstance(pydyf.zlib, pdf_pydyf.PydyfZlib)
    assert pydyf.zlib.decompress is zlib.decompress  # everything else is zlib's own


def test_a_pydyf_that_compresses_otherwise_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydyf, "zlib", zlib)
    monkeypatch.setattr(inspect, "getsource", lambda _module: "compressobj(level=level)")
    assert not pdf_pydyf.compress_at_default_level()
    assert pydyf.zlib is zlib


def test_pydyfs_page_references_are_still_the_ones_we_format_once() -> None:
    # Fails after a pydyf upgrade that changes PDF.page_references: review ours against it.
    assert inspect.getsource(pdf_pydyf.SHIPPED_PAGE_REFERENCES.fget) == (
        pdf_pydyf.PYDYF_PAGE_REFERENCES
    )
    assert pdf_pydyf.PAGE_REFERENCES_PATCHED
    assert pydyf.PDF.page_references.fget is pdf_pydyf.page_references


def test_page_references_formatted_once_give_the_same_pdf_byte_for_byte(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = page(
        "".join(f"<h2>Part {n}</h2><p>{'Plain text that wraps. ' * 80}</p>" for n in range(9))
    )
    ours = render_pdf(html, title="t", author="a")
    monkeypatch.setattr(pydyf.PDF, "page_references", pdf_pydyf.SHIPPED_PAGE_REFERENCES)
    shipped = render_pdf(html, title="t", author="a")
    assert len(pdf_pages(ours)) >= 3
    assert ours == shipped


def test_page_references_follow_the_pages() -> None:
    document = pydyf.PDF()
    for _ in range(2):
        document.add_page(pydyf.Dictionary())
    first = document.page_references
    assert first == pdf_pydyf.SHIPPED_PAGE_REFERENCES.fget(document)
    assert document.page_references is first  # formatted once
    document.add_page(pydyf.Dictionary())
    assert document.page_references == pdf_pydyf.SHIPPED_PAGE_REFERENCES.fget(document)
    assert len(document.page_references) == 3
