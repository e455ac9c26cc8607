"""Finding a Japanese font through fontconfig."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import RenderError
from reportgen.render import fonts

MINIMAL = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"


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


def test_no_japanese_font_reads_in_japanese_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`reportgen --lang ja report --format pdf` without a CJK font: a Japanese error, exit 2."""
    from tests.runcli import run

    monkeypatch.setattr(fonts, "families_for_japanese", lambda: {})
    out = tmp_path / "out"
    args = ["report", MINIMAL, "--format", "pdf", "-o", out]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert (code, err.splitlines()[-1]) == (
        2,
        "reportgen：エラー：fontconfig で日本語フォントが見つかりません。日本語フォントを"
        "インストールしてください（例：Debian／Ubuntu では 'apt-get install fonts-noto-cjk'）。",
    )
    fonts.japanese_font.cache_clear()
    code, _, err = run(capsys, "--lang", "en", *args)
    assert (code, err.splitlines()[-1]) == (
        2,
        "reportgen: error: no Japanese font found by fontconfig; install a Japanese font, "
        "e.g. 'apt-get install fonts-noto-cjk' (Debian/Ubuntu)",
    )


def test_no_fontconfig_reads_in_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The missing fontconfig tool is named in the Japanese message too."""
    from reportgen.cli.i18n import error_text

    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    with pytest.raises(RenderError) as missing:
        fonts.japanese_font()
    assert error_text(missing.value, "ja").startswith(
        "fontconfig（'fc-list'）がインストールされていません。"
    )
