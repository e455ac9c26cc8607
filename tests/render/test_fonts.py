"""Finding a Japanese font through fontconfig."""

from __future__ import annotations

import pytest

from reportgen.errors import RenderError
from reportgen.render import fonts


@pytest.fixture(autouse=True)
def fresh_lookup() -> None:
    fonts.japanese_font.cache_clear()


def test_noto_sans_cjk_jp_is_preferred() -> None:
    """On the build machine (fonts-noto-cjk) the report uses Noto Sans CJK JP."""
    found = fonts.japanese_font()
    assert found.family == "Noto Sans CJK JP"
    assert found.path.endswith((".ttc", ".otf", ".ttf"))


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        ({"IPAexGothic": "/f/ipaexg.ttf", "Noto Sans CJK JP": "/f/noto.ttc"}, "Noto Sans CJK JP"),
        ({"IPAexGothic": "/f/ipaexg.ttf", "Zen": "/f/zen.ttf"}, "IPAexGothic"),
        ({"Zen": "/f/zen.ttf", "Aoi": "/f/aoi.ttf"}, "Aoi"),
    ],
)
def test_preference_order(
    monkeypatch: pytest.MonkeyPatch, installed: dict[str, str], expected: str
) -> None:
    """The first preferred family wins; otherwise any Japanese family, alphabetically."""
    monkeypatch.setattr(fonts, "families_for_japanese", lambda: installed)
    assert fonts.japanese_font().family == expected


def test_no_japanese_font_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Japanese font the error says to install fonts-noto-cjk."""
    monkeypatch.setattr(fonts, "families_for_japanese", lambda: {})
    with pytest.raises(RenderError, match="fonts-noto-cjk"):
        fonts.japanese_font()


def test_no_fontconfig_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without fontconfig's tools the error is a RenderError naming the font package too."""
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="fonts-noto-cjk"):
        fonts.japanese_font()
