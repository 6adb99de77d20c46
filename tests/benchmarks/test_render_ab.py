"""The render comparison's pure parts: which chapters two guides share."""

from __future__ import annotations

from tests.benchmarks.render_ab import without_new_chapters


def test_the_shared_chapters_guide_drops_only_chapters_the_other_lacks() -> None:
    """A chapter whose heading the older guide has stays, whatever its markup; a new one goes."""
    older = (
        "<main><section><h2>Rating scale</h2><table></table></section>"
        '<section class="competency chapter"><h2><span class="num">1</span>Owning value</h2>'
        "<p>old text</p></section></main>"
    )
    current = (
        "<main><section><h2>Rating scale</h2><table><tr><td>new row</td></tr></table></section>"
        '<section class="chapter rater-guide" id="rater-guide"><h2>Rating fairly</h2>'
        "<h3>Traps</h3><p>x</p></section>"
        '<section class="competency chapter"><h2><span class="num">1</span> Owning value</h2>'
        "<p>new text</p></section></main>"
    )
    shared = without_new_chapters(current, older)
    assert "Rating fairly" not in shared and "Traps" not in shared
    assert "new row" in shared and "new text" in shared
    assert shared.count("<section") == 2
    assert without_new_chapters(older, older) == older
